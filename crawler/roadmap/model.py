"""The roadmap model: topics (the heading tree), resources (every link, by its canonical
identity, with each place it is mentioned), items (list entries that link nowhere) and
the links left out, with their JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


class RoadmapError(Exception):
    """A roadmap that cannot be read; the message is one line for the user."""


@dataclass(slots=True)
class Topic:
    id: str
    name: str
    level: int
    parent: str | None
    order: int
    path: list[str]
    line: int
    description: str = ""
    children: list[str] = field(default_factory=list)
    requires: list[str] = field(default_factory=list)
    ordered: bool = False


@dataclass(slots=True)
class Mention:
    """One place a resource is linked: under which topic, with what text, on what line."""

    topic: str | None
    text: str
    line: int
    url: str
    done: bool = False
    attrs: dict = field(default_factory=dict)


@dataclass(slots=True)
class Resource:
    id: str
    url: str
    kind: str
    source: str
    attrs: dict
    mentions: list[Mention] = field(default_factory=list)

    @property
    def topics(self) -> list[str]:
        return list(dict.fromkeys(m.topic for m in self.mentions if m.topic))

    @property
    def done(self) -> bool:
        return any(m.done for m in self.mentions)

    @property
    def title(self) -> str:
        return next((m.text for m in self.mentions if m.text), "")


@dataclass(slots=True)
class Item:
    id: str
    topic: str | None
    text: str
    line: int
    kind: str
    parent: str | None = None


@dataclass(slots=True)
class IgnoredLink:
    url: str
    text: str
    line: int
    topic: str | None
    reason: str


@dataclass
class Roadmap:
    title: str
    source: str
    topics: list[Topic] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    ignored: list[IgnoredLink] = field(default_factory=list)

    def topic(self, topic_id: str) -> Topic:
        return self._topics_by_id[topic_id]

    @property
    def _topics_by_id(self) -> dict[str, Topic]:
        return {t.id: t for t in self.topics}

    @property
    def empty_topics(self) -> list[Topic]:
        """Topics with no resource and no item anywhere beneath them."""
        filled = {m.topic for r in self.resources for m in r.mentions} | {i.topic for i in self.items}
        by_id = self._topics_by_id
        reached: set[str] = set()
        for topic_id in filled:
            while topic_id and topic_id not in reached:
                reached.add(topic_id)
                topic_id = by_id[topic_id].parent if topic_id in by_id else None
        return [t for t in self.topics if t.id not in reached]

    def to_dict(self) -> dict:
        resources = []
        for r in self.resources:
            record = asdict(r)
            record.update(topics=r.topics, done=r.done, title=r.title)
            resources.append(record)
        return {
            "title": self.title,
            "source": self.source,
            "topics": [asdict(t) for t in self.topics],
            "resources": resources,
            "items": [asdict(i) for i in self.items],
            "ignored": [asdict(i) for i in self.ignored],
            "empty_topics": [t.id for t in self.empty_topics],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Roadmap:
        def resource(record: dict) -> Resource:
            fields = {k: record[k] for k in ("id", "url", "kind", "source", "attrs")}
            return Resource(**fields, mentions=[Mention(**m) for m in record["mentions"]])

        return cls(
            title=data["title"],
            source=data["source"],
            topics=[Topic(**t) for t in data["topics"]],
            resources=[resource(r) for r in data["resources"]],
            items=[Item(**i) for i in data["items"]],
            ignored=[IgnoredLink(**i) for i in data["ignored"]],
        )
