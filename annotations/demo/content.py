"""The demo project's content: codebook, texts, three coders and two coders' annotations.

The texts are short, invented summaries written for this demo; they paraphrase the kind of
material researchers code after the March 2024 Crocus City Hall attack, not any real document.
Annotations name their passage by quote, so the offsets are computed, never typed by hand.
"""

PROJECT = {
    "name": "Crocus City Hall narratives (demo)",
    "description": (
        "Demo study: how pro-Islamic-State channels and Kremlin-aligned media framed the March "
        "2024 attack on Crocus City Hall near Moscow. Five short invented texts, three coders "
        "(two have finished four of them; the third has not started)."
    ),
}

CODES = [
    {
        "name": "Historical memory",
        "colour": "#8c564b",
        "shortcut": "h",
        "definition": (
            "The passage invokes a past event, war, or collective trauma to give the attack a "
            "meaning (e.g. the Great Patriotic War, Beslan, the Dubrovka theatre siege, earlier "
            "caliphate campaigns)."
        ),
        "inclusion": (
            "Explicit comparison with or reference to a named past event, era or anniversary "
            "used to interpret the attack or the response to it."
        ),
        "exclusion": (
            'Plain chronology ("two weeks earlier the embassy warned…") with no interpretive '
            "link; references to the attack itself as a past event."
        ),
        "example": '"Just as in 1941, the nation will stand united against the fascists."',
    },
    {
        "name": "Threat amplification",
        "colour": "#d62728",
        "shortcut": "t",
        "definition": (
            "The passage inflates the danger, reach or inevitability of further violence, or "
            "celebrates the attack as proof of the attacker's strength."
        ),
        "inclusion": (
            "Promises or predictions of more attacks, claims of unstoppable reach, glorification "
            "of the attackers, casualty figures used to intimidate."
        ),
        "exclusion": (
            "Neutral reporting of official threat levels or casualty numbers without framing."
        ),
        "example": '"This is only the beginning; no city of the crusaders is safe."',
    },
    {
        "name": "Counter-disinformation",
        "colour": "#2ca02c",
        "shortcut": "c",
        "definition": (
            "The passage identifies, corrects or debunks a false or misleading claim about the "
            "attack, or explains how a narrative was manufactured."
        ),
        "inclusion": (
            "Fact-checks, corrections, attribution of a claim to its source with evidence."
        ),
        "exclusion": (
            "Mere disagreement without evidence; the false claim itself (code that claim)."
        ),
        "example": '"No evidence supports the claim that the gunmen were heading to Ukraine."',
    },
    {
        "name": "State-actor blame",
        "colour": "#1f77b4",
        "shortcut": "s",
        "definition": (
            "The passage attributes responsibility for the attack to a state or its services "
            '(Ukraine, the United States, the United Kingdom, "the West"), with or without '
            "evidence."
        ),
        "inclusion": (
            'Direct accusations, insinuations ("who benefits?"), claims of foreign handlers or '
            "escape routes arranged by a state."
        ),
        "exclusion": (
            "Blame placed only on a non-state group (e.g. IS-K) unless a state is said to stand "
            "behind it."
        ),
        "example": '"The trail clearly leads to Kyiv and its Western curators."',
    },
]

SOURCES = [
    {
        "title": "Monitoring note: first 48 hours of claims",
        "kind": "monitoring_report",
        "outlet": "Demo Monitoring Desk",
        "author": "Demo analyst",
        "language": "en",
        "published": "2024-03-24",
        "text": (
            "Monitoring note: first 48 hours of claims\n\n"
            "Within hours of the attack, the group's news agency published a claim of "
            "responsibility and later a photograph of the four attackers. Supporters on "
            "messaging channels celebrated the attack and promised that more operations would "
            "follow in Europe.\n\n"
            "State television, meanwhile, avoided the claim entirely. Presenters asked who "
            "benefits and suggested that the attackers had been trying to reach the Ukrainian "
            "border, where a window had supposedly been prepared for them.\n\n"
            "Several commentators compared the night to the Beslan school siege of 2004, "
            "calling on viewers to remember how the country had stood together then."
        ),
    },
    {
        "title": "Case file: the 'window on the border' claim",
        "kind": "disinformation_case",
        "outlet": "Demo Fact-Check Database",
        "language": "en",
        "published": "2024-03-26",
        "text": (
            "Case file: the 'window on the border' claim\n\n"
            "Claim: the attackers were driving towards Ukraine, where Ukrainian services had "
            "prepared a window for them to cross.\n\n"
            "Assessment: the route described ran through a region far from any open crossing, "
            "and no evidence has been published for a prepared window. The claim first appeared "
            "on state television before any investigation had reported, and it was repeated "
            "without sources.\n\n"
            "The claim fits a recurring pattern in which responsibility is shifted from the "
            "group that claimed the attack to Western governments."
        ),
    },
    {
        "title": "Channels glorify the attack and warn of more",
        "kind": "news_article",
        "outlet": "Demo News Wire",
        "author": "Staff reporter",
        "language": "en",
        "published": "2024-03-25",
        "text": (
            "Channels glorify the attack and warn of more\n\n"
            "Pro-Islamic State channels circulated posters showing the concert hall in flames "
            "with the words \u201cthis is only the beginning\u201d. One poster addressed "
            "European capitals directly, saying no crowd would be safe.\n\n"
            "Analysts noted that the posters drew on the memory of the group's earlier "
            "campaigns, presenting the attack as a return to the days of the caliphate.\n\n"
            "Officials urged the public not to share the material, warning that it was designed "
            "to spread fear."
        ),
    },
    {
        "title": "Post: \u201cwho benefits?\u201d",
        "kind": "social_media_post",
        "outlet": "Demo channel",
        "language": "en",
        "published": "2024-03-23",
        "text": (
            "\U0001f6a8 Who benefits? \U0001f6a8\n"
            "Ask yourselves why the Western embassies warned their citizens two weeks before. "
            "They knew. The trail leads to Kyiv and its curators in London and Washington. "
            "\U0001f1f7\U0001f1fa Remember 1941: we stood alone then and we will stand now."
        ),
    },
    {
        "title": "منشور: هجوم موسكو",
        "kind": "social_media_post",
        "outlet": "Demo channel (Arabic)",
        "language": "ar",
        "published": "2024-03-23",
        "text": (
            "منشور: هجوم موسكو\nالإعلام الرسمي يلوم أوكرانيا والغرب دون دليل.\nهذه مجرد البداية."
        ),
    },
]

# (coder, source index, code name, quote, memo); coder1 and coder2 disagree on purpose.
ANNOTATIONS = [
    (
        "coder1",
        0,
        "Threat amplification",
        "promised that more operations would follow in Europe",
        "",
    ),
    (
        "coder1",
        0,
        "State-actor blame",
        "suggested that the attackers had been trying to reach the Ukrainian border",
        "Insinuation, no direct accusation.",
    ),
    ("coder1", 0, "Historical memory", "compared the night to the Beslan school siege of 2004", ""),
    (
        "coder2",
        0,
        "Threat amplification",
        "Supporters on messaging channels celebrated the attack "
        "and promised that more operations would follow in Europe",
        "",
    ),
    (
        "coder2",
        0,
        "State-actor blame",
        "Presenters asked who benefits and suggested that the "
        "attackers had been trying to reach the Ukrainian border",
        "",
    ),
    (
        "coder1",
        1,
        "Counter-disinformation",
        "no evidence has been published for a prepared window",
        "",
    ),
    (
        "coder1",
        1,
        "State-actor blame",
        "Ukrainian services had prepared a window for them to cross",
        "The claim under review.",
    ),
    (
        "coder2",
        1,
        "Counter-disinformation",
        "the route described ran through a region far from "
        "any open crossing, and no evidence has been published for a prepared window",
        "",
    ),
    ("coder1", 2, "Threat amplification", "this is only the beginning", ""),
    (
        "coder1",
        2,
        "Historical memory",
        "presenting the attack as a return to the days of the caliphate",
        "",
    ),
    ("coder2", 2, "Threat amplification", "saying no crowd would be safe", ""),
    ("coder2", 2, "Threat amplification", "this is only the beginning", ""),
    (
        "coder1",
        3,
        "State-actor blame",
        "The trail leads to Kyiv and its curators in London and Washington",
        "",
    ),
    ("coder1", 3, "Historical memory", "Remember 1941", ""),
    ("coder2", 3, "State-actor blame", "The trail leads to Kyiv", ""),
]

USERS = [
    # username, password, role (None = admin), display name
    ("admin", "demo-admin-pass", None, "Demo Admin"),
    ("lead", "demo-lead-pass", "lead", "Lena Lead"),
    ("coder1", "demo-coder1-pass", "coder", "Cora Coder"),
    ("coder2", "demo-coder2-pass", "coder", "Colin Coder"),
    ("coder3", "demo-coder3-pass", "coder", "Cem Coder"),
]

# Sources whose assignment each coder has completed (by index); the rest stay assigned.
DONE = {"coder1": [0, 1, 2, 3], "coder2": [0, 1, 2, 3], "coder3": []}
