"""What the local site serves, in the shapes the real services answer with: arXiv Atom,
GitHub JSON, pages, embedding APIs, Semantic Scholar, YouTube's refusals, hostile pages."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape

PAPERS = {
    "2302.13971": {
        "title": "LLaMA: Open and Efficient Foundation Language Models",
        "authors": ["Hugo Touvron", "Thibaut Lavril", "Gautier Izacard"],
        "summary": "We introduce LLaMA, a collection of foundation language models ranging "
        "from 7B to 65B parameters, built on the transformer architecture.",
        "published": "2023-02-27T18:36:33Z",
        "updated": "2023-02-27T18:36:33Z",
        "version": "v1",
        "category": "cs.CL",
    },
    "2106.09685": {
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "authors": ["Edward J. Hu", "Yelong Shen"],
        "summary": "We propose Low-Rank Adaptation, or LoRA, which freezes the pre-trained model weights.",
        "published": "2021-06-17T17:37:18Z",
        "updated": "2021-10-16T18:40:34Z",
        "version": "v2",
        "category": "cs.CL",
    },
}

REPOS = {
    "huggingface/transformers": {
        "full_name": "huggingface/transformers",
        "description": "Transformers: the model-definition framework",
        "stargazers_count": 150000,
        "forks_count": 30000,
        "open_issues_count": 1500,
        "language": "Python",
        "topics": ["nlp", "pytorch"],
        "license": {"spdx_id": "Apache-2.0", "name": "Apache License 2.0"},
        "default_branch": "main",
        "created_at": "2018-10-29T13:56:00Z",
        "pushed_at": "2026-11-28T10:00:00Z",
        "archived": False,
        "homepage": "https://huggingface.co/transformers",
    },
    "old/archived": {
        "full_name": "old/archived",
        "description": "An archived repository",
        "stargazers_count": 12,
        "forks_count": 1,
        "open_issues_count": 0,
        "language": "C",
        "topics": [],
        "license": None,
        "default_branch": "master",
        "created_at": "2015-01-01T00:00:00Z",
        "pushed_at": "2016-01-01T00:00:00Z",
        "archived": True,
        "homepage": None,
    },
}

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Attention, explained | The Blog</title>
<meta name="description" content="A visual guide to attention.">
<meta property="og:title" content="Attention, explained">
<meta property="og:site_name" content="The Blog">
<link rel="canonical" href="/posts/attention">
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Article",
 "headline": "Attention, explained", "author": {"@type": "Person", "name": "Ada Writer"},
 "datePublished": "2024-03-05T09:00:00+01:00"}</script>
</head><body><article><h1>Attention, explained</h1><p>%s</p></article></body></html>
""" % ("word " * 460)

GBK_PAGE = (
    '<html><head><meta charset="gbk"><title>注意力机制详解</title>'
    '<meta name="description" content="一篇关于注意力的文章"></head>'
    "<body><p>" + "注意力机制" * 200 + "</p></body></html>"
).encode("gbk")

VIDEO_PAGE = """<!doctype html><html><head><title>Intro to LoRA</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "VideoObject",
 "name": "Intro to LoRA", "description": "Low-rank adaptation in ten minutes.",
 "duration": "PT10M30S", "uploadDate": "2024-01-02", "contentUrl": "%s/media/lora.mp4",
 "thumbnailUrl": "%s/media/lora.jpg"}</script></head><body><h1>Intro to LoRA</h1></body></html>
"""

# An MP4 file of 32 bytes: enough for a client that checks the media answers.
TINY_MP4 = bytes.fromhex("0000002066747970697336d00000000069736f6d69736f32617663316d703431")


def atom_feed(ids: list[str]) -> str:
    entries = []
    for paper_id in ids:
        paper = PAPERS.get(paper_id.split("v")[0] if "v" in paper_id[-3:] else paper_id)
        if paper is None:
            entries.append(
                f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(paper_id)}</id>"
                f"<title>Error</title><summary>incorrect id format for {escape(paper_id)}</summary></entry>"
            )
            continue
        authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper["authors"])
        entries.append(
            f"<entry><id>http://arxiv.org/abs/{paper_id}{paper['version']}</id>"
            f"<updated>{paper['updated']}</updated><published>{paper['published']}</published>"
            f"<title>{escape(paper['title'])}</title><summary>{escape(paper['summary'])}</summary>"
            f'{authors}<link href="http://arxiv.org/abs/{paper_id}{paper["version"]}" rel="alternate" type="text/html"/>'
            f'<link title="pdf" href="http://arxiv.org/pdf/{paper_id}{paper["version"]}" rel="related" type="application/pdf"/>'
            f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{paper["category"]}"/>'
            f'<category term="{paper["category"]}" scheme="http://arxiv.org/schemas/atom"/></entry>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" '
        'xmlns:arxiv="http://arxiv.org/schemas/atom"><title>ArXiv Query</title>'
        + "".join(entries)
        + "</feed>"
    )


# What the embedding APIs know, in the shapes they answer with.
TWEETS = {
    "1617979122625712128": {
        "url": "https://twitter.com/karpathy/status/1617979122625712128",
        "author_name": "Andrej Karpathy",
        "author_url": "https://twitter.com/karpathy",
        "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">The hottest new programming '
        'language is English</p>&mdash; Andrej Karpathy (@karpathy) <a href="https://twitter.com/'
        'karpathy/status/1617979122625712128?ref_src=twsrc%5Etfw">January 24, 2023</a></blockquote>\n',
        "width": 550,
        "height": None,
        "type": "rich",
        "cache_age": "3153600000",
        "provider_name": "Twitter",
        "provider_url": "https://twitter.com",
        "version": "1.0",
    },
    "1641802431035584513": {
        "url": "https://twitter.com/dair_ai/status/1641802431035584513",
        "author_name": "DAIR.AI",
        "author_url": "https://twitter.com/dair_ai",
        "html": '<blockquote class="twitter-tweet"><p lang="en" dir="ltr">Top ML Papers of the Week '
        '(Mar 27 - Apr 2): <a href="https://t.co/4mKq0ZBq1d">pic.twitter.com/4mKq0ZBq1d</a></p>'
        '&mdash; DAIR.AI (@dair_ai) <a href="https://twitter.com/dair_ai/status/1641802431035584513">'
        "March 31, 2023</a></blockquote>\n",
        "type": "rich",
        "provider_name": "Twitter",
        "provider_url": "https://twitter.com",
        "version": "1.0",
    },
}
YOUTUBE_VIDEOS = {
    "kCc8FmEb1nY": {
        "title": "Let's build GPT: from scratch, in code, spelled out.",
        "author_name": "Andrej Karpathy",
        "author_url": "https://www.youtube.com/@AndrejKarpathy",
        "type": "video",
        "height": 113,
        "width": 200,
        "version": "1.0",
        "provider_name": "YouTube",
        "provider_url": "https://www.youtube.com/",
        "thumbnail_height": 360,
        "thumbnail_width": 480,
        "thumbnail_url": "https://i.ytimg.com/vi/kCc8FmEb1nY/hqdefault.jpg",
        "html": '<iframe width="200" height="113" src="https://www.youtube.com/embed/kCc8FmEb1nY?feature=oembed" '
        'frameborder="0" allowfullscreen title="Let&#39;s build GPT"></iframe>',
    },
}
TOOTS = {
    "109377213917390281": {
        "id": "109377213917390281",
        "created_at": "2022-11-20T17:03:55.000Z",
        "visibility": "public",
        "language": "en",
        "uri": "https://mastodon.example/users/ada/statuses/109377213917390281",
        "url": "https://mastodon.example/@ada/109377213917390281",
        "media_attachments": [],
        "content": '<p>Notes on attention: <a href="https://example.org/attention" rel="nofollow noopener">'
        '<span class="invisible">https://</span>example.org/attention</a></p><p>Read it twice.</p>',
        "account": {
            "id": "1",
            "username": "ada",
            "acct": "ada",
            "display_name": "Ada Writer",
            "url": "https://mastodon.example/@ada",
        },
    },
}


# YouTube's texts for the videos it will not show an anonymous client.
PLAYER_REFUSALS = {
    "bot-check": {
        "reason": "Sign in to confirm you’re not a bot",
        "subreason": "This helps protect our community. Learn more",
    },
    "age-gate": {
        "reason": "Sign in to confirm your age",
        "subreason": "This video may be inappropriate for some users.",
    },
    "region-gate": {
        "reason": "Video unavailable",
        "subreason": "The uploader has not made this video available in your country",
    },
    "private": {
        "reason": "Private video",
        "subreason": "Sign in if you've been granted access to this video",
    },
}


# Semantic Scholar's batch answers, in the shape of /graph/v1/paper/batch with
# fields=title,externalIds,citationCount,references.externalIds,references.title.
ATTENTION = {
    "paperId": "204e3073870fae3d05bcbc2f6a8e263d9b72e776",
    "title": "Attention Is All You Need",
    "externalIds": {"ArXiv": "1706.03762", "DBLP": "conf/nips/VaswaniSPUJGKP17", "CorpusId": 13756489},
}
GPT3 = {
    "paperId": "90abbc2cf38462b954ae1b772fac9532e2ccd8b0",
    "title": "Language Models are Few-Shot Learners",
    "externalIds": {"ArXiv": "2005.14165", "CorpusId": 218971783},
}
LSTM = {
    "paperId": "2e9d221c206e9503ceb452302d68d10e293f2a10",
    "title": "Long Short-Term Memory",
    "externalIds": {"DOI": "10.1162/neco.1997.9.8.1735", "MAG": "2064675550", "CorpusId": 1915014},
}
S2_PAPERS = {
    "ARXIV:2302.13971": {
        "paperId": "57e849d0de13ed5f91d086936296721d4ff75a75",
        "title": "LLaMA: Open and Efficient Foundation Language Models",
        "externalIds": {"ArXiv": "2302.13971", "CorpusId": 257219404},
        "citationCount": 9000,
        "references": [
            ATTENTION,
            GPT3,
            LSTM,
            {"paperId": None, "title": "A talk without any id", "externalIds": None},
        ],
    },
    "ARXIV:2106.09685": {
        "paperId": "a8ca46b171467ceb2d7652fbfb67fe701ad86092",
        "title": "LoRA: Low-Rank Adaptation of Large Language Models",
        "externalIds": {"ArXiv": "2106.09685", "CorpusId": 235458009},
        "citationCount": 8000,
        "references": [ATTENTION, GPT3],
    },
}


# Hostile pages, each what a stranger's site could answer: served under /raw/ by name.
def hostile_pages() -> dict[str, bytes]:
    """Bodies for pages whose titles, structured data, bytes or links are hostile."""

    def page(title: str, head: str = "", body: str = "words") -> bytes:
        return (
            f"<html><head><title>{escape(title)}</title>{head}</head><body><p>{body}</p></body></html>"
        ).encode()

    shell = len(page(""))
    many_objects = json.dumps([{"@type": "Thing", "name": f"thing {n}"} for n in range(10_000)])
    return {
        "control-title": page("Intro\x1b[31m to NLP\x07"),
        "markup-title": page("[/r/MachineLearning] thread"),
        "type-title": page("list[str] and [d]"),
        # The largest page DOWNLOAD_MAXSIZE lets through, nearly all of it title.
        "huge-title": page("t" * (5 * 1024 * 1024 - shell)),
        "json-ld-list": page(
            "Ten thousand things", f'<script type="application/ld+json">{many_objects}</script>'
        ),
        "nul-after-8k": page("Late NUL", body="padding " * 1100 + "NUL\x00here"),
        "many-links": page(
            "Many links", body="".join(f'<a href="/l/{n}">link {n}</a> ' for n in range(100_000))
        ),
    }
