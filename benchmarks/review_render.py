"""How fast the lead's disagreement review opens, moves and decides on a large, densely coded
source.

One command: `.venv/bin/python benchmarks/review_render.py [--runs N] [--keys N]`. It builds a
throwaway SQLite database with the workspace benchmark's 100,000-character source coded by three
coders, 2,000 passages each (the second and third coder keep most of the first one's passages,
some with other boundaries or another code, and add their own), and, as the baseline measured in
the same run, the same text with no passages; serves the app as deployed (gunicorn, DEBUG off,
collected and hashed static files); and opens the review page in headless Chromium as the lead.
It prints the median and 90th percentile of

- navigation start -> every lane in view drawn (`nc:ready`) and that frame painted
  (`nc:painted`), each load starting from a blank page (paragraphs further away are drawn as they
  come near the view);
- the next-disagreement key (`n`) -> the next disagreement shown and painted (`nc:key-painted`);
- the accept key (`a`, the chosen coder's passage into gold) -> the gold lane redrawn and painted
  (`nc:decision-painted`), each at another disagreement.

After the decisions it checks that the paragraphs drawn so far, as redrawn piecemeal, equal the
same paragraphs drawn whole.
Goals: under 300 ms to painted and within 1.5x the baseline's, under 50 ms per key or
decision."""

import argparse
import os
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.workspace_render import (
    ANNOTATIONS,
    make_text,
    mark,
    max_depth,
    measure,
    print_table,
    served,
)

CODERS = 3
COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"]


def coders_passages(rng: random.Random, length: int, codes: list) -> list[list[tuple]]:
    """(start, end, code) per coder: the first coder's 2,000 passages placed as in the workspace
    benchmark; each other coder keeps 80% of them (a quarter of those with boundaries moved by
    up to 10 characters, a tenth with another code) and adds passages of their own."""

    def fresh() -> tuple:
        start = rng.randrange(length - 400)
        return start, start + rng.randint(5, 300), rng.choice(codes)

    first = [fresh() for _ in range(ANNOTATIONS)]
    everyone = [first]
    for _ in range(CODERS - 1):
        mine = []
        for start, end, code in rng.sample(first, int(0.8 * ANNOTATIONS)):
            if rng.random() < 0.25:
                start = max(0, start + rng.randint(-10, 10))
                end = max(start + 1, end + rng.randint(-10, 10))
            if rng.random() < 0.1:
                code = rng.choice(codes)
            mine.append((start, end, code))
        mine += [fresh() for _ in range(ANNOTATIONS - len(mine))]
        everyone.append(mine)
    return everyone


def build_database(database_url: str) -> dict:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from annotations.models import Annotation
    from annotations.services import assignment_create
    from narratives.services import code_create
    from sources.services import membership_set, project_create, source_create

    call_command("migrate", verbosity=0)
    rng = random.Random(20240322)
    users = get_user_model().objects
    lead = users.create_user("bench-lead", password="bench-pass-0123")
    project = project_create(name="Benchmark", lead=lead)
    codes = [
        code_create(project=project, name=f"Code {i}", shortcut=key, colour=colour, order=i)
        for i, (key, colour) in enumerate(zip("abcdefgh", COLOURS, strict=True))
    ]
    text = make_text(rng)
    coded = source_create(project=project, title="Dense", text=text)
    empty = source_create(project=project, title="Baseline", text=text + " ")
    annotations = []
    for n, passages in enumerate(coders_passages(rng, len(coded.text), codes)):
        coder = users.create_user(f"bench-coder-{n + 1}", password="bench-pass-0123")
        membership_set(project=project, user=coder, role="coder")
        for source in (coded, empty):
            assignment_create(source=source, coder=coder)
        annotations += [
            Annotation(
                source=coded,
                code=code,
                coder=coder,
                start=start,
                end=end,
                quote=coded.text[start:end],
            )
            for start, end, code in passages
        ]
    Annotation.objects.bulk_create(annotations)
    client = Client()
    client.force_login(lead)
    return {
        "coded": coded.pk,
        "empty": empty.pk,
        "chars": len(coded.text),
        "passages": len(annotations),
        "depth": max_depth(annotations),
        "cookie": (
            settings.SESSION_COOKIE_NAME,
            client.cookies[settings.SESSION_COOKIE_NAME].value,
        ),
    }


# The text as drawn now, then drawn whole (choosing a code and every code again draws anew every
# paragraph drawn so far).
DRAWN_WHOLE = """() => {
  const text = document.getElementById('rv-text');
  // The highlight follows the disagreement shown, which drawing anew resets to the first.
  const drawn = () => text.innerHTML.replaceAll(' current', '');
  const before = drawn();
  const filter = document.getElementById('code-filter');
  for (const value of [filter.options[1].value, '']) {
    filter.value = value;
    filter.dispatchEvent(new Event('change'));
  }
  return [before, drawn()];
}"""


def run_page(browser, base: str, cookie: tuple[str, str], source_id: int, args) -> dict:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": base}])
    page = context.new_page()
    url = f"{base}/sources/{source_id}/review/"
    ready, painted, keys, keys_drawn, decisions, decisions_drawn = [], [], [], [], [], []
    for run in range(args.runs + 1):
        page.goto("about:blank")
        page.goto(url)
        page.wait_for_selector("#review[data-ready='1']", state="attached")
        if run == 0:
            first_load = mark(page, "nc:painted")
            continue
        ready.append(mark(page, "nc:ready"))
        painted.append(mark(page, "nc:painted"))
    for n in range(1, args.keys + 1):
        page.keyboard.press("n")
        keys.append(measure(page, "nc:key-painted", n))
        keys_drawn.append(measure(page, "nc:key", n))
        page.keyboard.press("a")
        decisions.append(measure(page, "nc:decision-painted", n))
        decisions_drawn.append(measure(page, "nc:decision", n))
    page.wait_for_selector("#review[data-unsaved='0']", state="attached")
    gold = int(page.locator("#review").get_attribute("data-gold"))
    piecemeal, whole = page.evaluate(DRAWN_WHOLE)
    context.close()
    return {
        "ready": ready,
        "painted": painted,
        "first_load": first_load,
        "key": keys,
        "key_drawn": keys_drawn,
        "decision": decisions,
        "decision_drawn": decisions_drawn,
        "gold": gold,
        "same": piecemeal == whole,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="page loads measured per source")
    parser.add_argument("--keys", type=int, default=25, help="moves and decisions per source")
    args = parser.parse_args()
    data, coded, empty, version = served(
        build_database,
        "review",
        lambda browser, base, cookie, source: run_page(browser, base, cookie, source, args),
    )
    print(
        f"Review render: {data['chars']:,}-character source, {data['passages']:,} passages of "
        f"{CODERS} coders (up to {data['depth']} overlapping), headless Chromium {version}, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{args.runs} page loads and {args.keys} moves and decisions per source; times in ms\n")
    rows = [
        ("navigation -> every lane in view drawn", "ready"),
        ("navigation -> every lane in view painted", "painted"),
        ("next-disagreement key -> shown", "key_drawn"),
        ("  and painted", "key"),
        ("accept key -> gold lane redrawn", "decision_drawn"),
        ("  and painted", "decision"),
    ]
    print_table(rows, coded, empty, "baseline median (0 passages)")
    painted = statistics.median(coded["painted"])
    baseline = statistics.median(empty["painted"])
    key = statistics.median(coded["key"])
    decision = statistics.median(coded["decision"])
    verdict = {True: "met", False: "MISSED"}
    print(
        f"\ngold passages saved: {coded['gold']}; paragraphs redrawn piecemeal equal them drawn "
        f"whole: {'yes' if coded['same'] else 'NO'}"
        f"\ngoal: every lane in view painted < 300 ms: {verdict[painted < 300]} ({painted:.0f} ms)"
        f"\ngoal: painted within 1.5x the baseline: {verdict[painted < 1.5 * baseline]} "
        f"({painted / baseline:.2f}x)"
        f"\ngoal: key painted < 50 ms: {verdict[key < 50]} ({key:.0f} ms)"
        f"\ngoal: decision painted < 50 ms: {verdict[decision < 50]} ({decision:.0f} ms)"
    )


if __name__ == "__main__":
    main()
