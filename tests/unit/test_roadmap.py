"""The embedded NLP roadmap, read the way its author wrote it."""

from __future__ import annotations

from collections import Counter

import pytest

from learngraph.crawler.roadmap import Roadmap, read_roadmap


@pytest.fixture(scope="module")
def roadmap() -> Roadmap:
    return read_roadmap(None)


def test_topics_form_the_heading_tree(roadmap):
    assert len(roadmap.topics) == 22
    assert [t.id for t in roadmap.topics if t.parent is None] == [
        "nlp",
        "李沐精讲学习方式",
        "roadmap",
        "面经",
    ]
    assert [roadmap.topic(child).name for child in roadmap.topic("roadmap").children] == [
        "Suggetions",
        "Neural Network",
        "Transformer",
        "GPT和大模型RLHF训练",
        "DeepSpeed",
        "LLaMA",
        "LoRA",
        "AIGC",
        "Prompt",
        "OpenAI接口整活",
    ]
    assert roadmap.topic("roadmap/aigc").children == [
        "roadmap/aigc/gan",
        "roadmap/aigc/dall-e",
        "roadmap/aigc/diffusion",
    ]
    assert roadmap.topic("面经").children == ["面经/llm", "面经/神经网络基础", "面经/cs基础", "面经/参考公司"]


def test_a_nested_topic_knows_its_level_parent_order_path_and_line(roadmap):
    topic = roadmap.topic("roadmap/gpt和大模型rlhf训练/instruct-fine-tuning")
    assert (topic.name, topic.level, topic.parent, topic.order, topic.line) == (
        "Instruct-fine-tuning",
        3,
        "roadmap/gpt和大模型rlhf训练",
        0,
        40,
    )
    assert topic.path == ["Roadmap", "GPT和大模型RLHF训练", "Instruct-fine-tuning"]
    assert roadmap.topic("roadmap/aigc/diffusion").order == 2
    assert roadmap.topic("面经/cs基础").level == 2


def test_topic_ids_are_unique_and_keep_cjk(roadmap):
    ids = [t.id for t in roadmap.topics]
    assert len(ids) == len(set(ids))
    assert "roadmap/openai接口整活" in ids and "面经/神经网络基础" in ids


def test_resources_by_kind_and_source(roadmap):
    assert len(roadmap.resources) == 26
    kinds = Counter(r.kind for r in roadmap.resources)
    assert kinds["video"] == 10
    assert Counter(r.source for r in roadmap.resources if r.kind == "video") == {"youtube": 9, "bilibili": 1}
    assert sorted(r.id for r in roadmap.resources if r.source == "arxiv") == [
        "arxiv:2302.13971",
        "arxiv:2303.04048",
        "arxiv:2303.13648",
    ]
    assert sorted(r.id for r in roadmap.resources if r.source == "github") == [
        "github:huggingface/transformers/examples",
        "github:microsoft/deepspeed/blogs/deepspeed-chat/chinese/README.md",
        "github:microsoft/deepspeedexamples/applications/DeepSpeed-Chat",
    ]
    rest = {r.kind for r in roadmap.resources if r.source not in ("youtube", "bilibili", "arxiv", "github")}
    assert rest <= {"page", "docs", "slides", "article"}
    assert kinds["slides"] == 1
    assert roadmap.ignored == []


def test_the_karpathy_bilibili_video_is_done_and_nothing_else_is(roadmap):
    done = [r for r in roadmap.resources if r.done]
    assert [(r.id, r.kind, r.topics) for r in done] == [
        ("bilibili:BV1ts4y1T7UH", "video", ["roadmap/gpt和大模型rlhf训练"])
    ]
    assert done[0].title.startswith("Andrej Karpathy微软Build大会精彩演讲")
    assert done[0].url == "https://www.bilibili.com/video/BV1ts4y1T7UH/"


def test_resources_sit_under_their_nearest_heading(roadmap):
    by_id = {r.id: r for r in roadmap.resources}
    assert by_id["youtube:zjrM-MW-0y0"].topics == ["roadmap/gpt和大模型rlhf训练/instruct-fine-tuning"]
    assert by_id["arxiv:2302.13971"].topics == ["roadmap/llama"]
    assert by_id["youtube:p9IxoSkvZ-M"].title == "Susan Zhang: Trails of developing OPT-175B"


def test_every_interview_question_is_an_item_under_its_own_topic(roadmap):
    per_topic = Counter(i.topic for i in roadmap.items)
    assert {t: per_topic[t] for t in ("面经/llm", "面经/神经网络基础", "面经/cs基础", "面经/参考公司")} == {
        "面经/llm": 13,
        "面经/神经网络基础": 5,
        "面经/cs基础": 5,
        "面经/参考公司": 11,
    }
    texts = {i.text: i for i in roadmap.items}
    assert texts["如何突破transformer token限制"].topic == "面经/llm"
    assert texts["attention原理"].topic == "面经/神经网络基础"
    assert texts["进程间通信方法？线程见通讯方法"].topic == "面经/cs基础"
    assert texts["huggingface"].topic == "面经/参考公司"
    assert texts["ChatGPT Plugins体验。不足与提升"].id == "面经/llm#1"
    assert {i.kind for i in roadmap.items if i.topic == "面经/llm"} == {"question"}


def test_unlinked_study_notes_are_items_too(roadmap):
    notes = [i.text for i in roadmap.items if i.topic == "李沐精讲学习方式"]
    assert notes == [
        "1X第一遍，记录下不会的东西",
        "1.25X第二遍，做笔记，尽量全部看懂",
        "1.5X第三遍，完善笔记，全部弄懂",
    ]


def test_empty_topics_are_reported(roadmap):
    assert [t.id for t in roadmap.empty_topics] == [
        "nlp",
        "roadmap/lora",
        "roadmap/aigc/diffusion",
        "roadmap/prompt",
    ]


def test_the_model_survives_a_round_trip_through_json(roadmap):
    again = Roadmap.from_dict(roadmap.to_dict())
    assert again.to_dict() == roadmap.to_dict()
