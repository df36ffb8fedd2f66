"""Benchmark: refreshing N feeds x M items from a local server, Parallax vs newsboat.

Owns: nothing the app uses. Run on demand (pytest does not collect ``tests/bench``):

    .venv/bin/python tests/bench/bench_fetch.py [--feeds 50] [--items 20] [--runs 3]

Both readers fetch the same feeds from one ``FeedServer`` on 127.0.0.1 in the same
run: a cold refresh (empty database) and an unchanged one (every feed answers 304
to a conditional GET). Parallax runs ``refresh_feeds(store, pages=False)``, so it
does the same work as newsboat (feeds only, no article pages); newsboat runs
``newsboat -x reload`` with a urls file, a config file and a cache file in a
temporary HOME. The median of ``--runs`` is reported (runs alternate between the
two), wall time and CPU time: Parallax's is this process's CPU plus that of any
child it waited for (a parsing child), newsboat's is its process's. The server runs
in a child process (``--serve``), so its Python work does not share Parallax's GIL
and is counted for neither.
With ``--command`` it also times the whole command, ``parallax fetch --no-pages
--no-analyze`` (imports, seeds, refresh, retention, story regrouping), in a fresh
process against a fresh database of the same feeds.

With ``--nginx`` (issue 16) the feeds are static files behind a real nginx on
127.0.0.1 (``tests/nginx.py``: gzip on, ETag and Last-Modified as nginx sends them):
a realistic mix of ``--mix`` feeds (default 85) of very different sizes (a few
items to 500, from 2 kB to several hundred kB, RSS and Atom, summaries and full
content) plus ``--feeds`` generated ones (default 50: 135 in all), and the whole
``parallax fetch --no-pages --no-analyze`` command is compared with ``newsboat -x
reload`` (``--threads`` 8), cold (fresh database/cache) and unchanged (every feed
304). Requests are counted from nginx's access log. Says so when nginx or newsboat
is missing.

Never touches the internet or the user's own files.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from reader.ingest.feeds.refresh import refresh_feeds  # noqa: E402
from reader.store import Store  # noqa: E402
from tests.feedserver import FeedServer, Route, rss  # noqa: E402

# Budget 7 is "faster than newsboat on the same feeds": the verdict compares the two
# medians when newsboat ran; these per-feed ceilings are the verdict without it.
BUDGET_COLD_PER_FEED = 0.05  # seconds per feed for a cold refresh (feeds only)
BUDGET_UNCHANGED_PER_FEED = 0.01  # seconds per feed when every feed answers 304


def build_feeds(server: FeedServer, feeds: int, items: int) -> list[str]:
    urls = []
    for f in range(feeds):
        entries = [
            {
                "title": f"Feed {f} item {i}: embassy moves from Kyiv to Lviv",
                "link": server.url(f"/f{f}/item{i}.html"),
                "guid": f"f{f}-i{i}",
                "pubDate": f"Mon, 14 Feb 2022 {i % 24:02d}:00:00 GMT",
                "description": (
                    f"<p>Item {i} of feed {f}. The United States is relocating its embassy "
                    "operations from Kyiv to Lviv, officials said on Monday.</p>" * 3
                ),
            }
            for i in range(items)
        ]
        urls.append(
            server.add(
                f"/f{f}/rss.xml",
                rss(f"Outlet {f}", entries),
                content_type="application/rss+xml; charset=utf-8",
                etag=f'"f{f}-v1"',
                last_modified="Mon, 14 Feb 2022 18:00:00 GMT",
            )
        )
    return urls


class RemoteServer:
    """The ``FeedServer`` in a child process, driven through two control paths."""

    def __init__(self, feeds: int, items: int) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", "--feeds", str(feeds), "--items", str(items)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        self.base_url = self.proc.stdout.readline().strip()
        self.urls = [f"{self.base_url}/f{f}/rss.xml" for f in range(feeds)]
        self.items = items

    def _get(self, path: str) -> dict[str, int]:
        with urllib.request.urlopen(self.base_url + path, timeout=10) as resp:
            return json.loads(resp.read())

    def reset(self) -> None:
        self._get("/__reset")

    def hits(self) -> int:
        return self._get("/__hits")["hits"]

    def conditional(self) -> int:
        """Requests that carried a validator (If-None-Match or If-Modified-Since)."""
        return self._get("/__hits")["conditional"]

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def serve(feeds: int, items: int) -> None:
    """The child: serve the feeds until terminated; print the base URL first."""
    server = FeedServer()

    def control(req) -> None:  # type: ignore[no-untyped-def]
        if req.path == "/__reset":
            server.reset()
        real = [h for p, h in list(server.requests) if not p.startswith("/__")]
        validated = sum(1 for h in real if "If-None-Match" in h or "If-Modified-Since" in h)
        body = json.dumps({"hits": len(real), "conditional": validated}).encode()
        req.send_response(200)
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    server.routes["/__reset"] = Route(handler=control)
    server.routes["/__hits"] = Route(handler=control)
    build_feeds(server, feeds, items)
    server.start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


Row = tuple[float, float, int, int, float, float]
"""cold wall, unchanged wall, requests cold, conditional GETs unchanged, cold CPU,
unchanged CPU (seconds)."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu() -> float:
    """This process's CPU time and that of the children it has waited for."""
    return time.process_time() + _children_cpu()


def bench_parallax(server: RemoteServer, urls: list[str], workdir: Path) -> Row:
    store = Store(workdir / "parallax.db")
    try:
        for n, url in enumerate(urls):
            store.add_feed(url, f"Outlet {n}")
        server.reset()
        c0, t0 = _cpu(), time.perf_counter()
        cold = refresh_feeds(store, pages=False)
        t1, c1 = time.perf_counter(), _cpu()
        cold_requests = server.hits()
        server.reset()
        c2, t2 = _cpu(), time.perf_counter()
        warm = refresh_feeds(store, pages=False)
        t3, c3 = time.perf_counter(), _cpu()
        assert not cold.errors and not warm.errors, (cold.errors, warm.errors)
        assert {r.status for r in warm.results} == {"unchanged"}
        assert cold.new == len(urls) * server.items, cold.new
        return t1 - t0, t3 - t2, cold_requests, server.conditional(), c1 - c0, c3 - c2
    finally:
        store.close()


def bench_command(server: RemoteServer, urls: list[str], workdir: Path) -> Row:
    """``parallax fetch --no-pages --no-analyze`` twice (cold, then unchanged)."""
    db = workdir / "command.db"
    store = Store(db)
    try:
        for n, url in enumerate(urls):
            store.add_feed(url, f"Outlet {n}")
    finally:
        store.close()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | {
        "PARALLAX_DB": str(db),
        "PARALLAX_CONFIG_DIR": str(workdir / "config"),
        "HOME": str(workdir),
    }
    cmd = [sys.executable, "-m", "reader", "fetch", "--no-pages", "--no-analyze"]
    times, cpus, hits = [], [], []
    for _ in range(2):
        server.reset()
        c0, t0 = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
        hits.append(server.hits() if not hits else server.conditional())
        assert proc.returncode == 0, proc.stderr[-500:]
    return times[0], times[1], hits[0], hits[1], cpus[0], cpus[1]


def bench_newsboat(
    server: RemoteServer, urls: list[str], workdir: Path, threads: int
) -> Row | None:
    exe = shutil.which("newsboat")
    if exe is None:
        return None
    home = workdir / "home"
    (home / ".newsboat").mkdir(parents=True)
    urls_file = home / "urls"
    urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
    config = home / "config"
    config.write_text(f"reload-threads {threads}\nshow-read-feeds yes\n", encoding="utf-8")
    cache = home / "cache.db"
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()} | {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "LANG": "C.UTF-8",
    }
    cmd = [exe, "-u", str(urls_file), "-C", str(config), "-c", str(cache), "-x", "reload"]
    times = []
    cpus = []
    hits = []
    for _ in range(2):
        server.reset()
        c0, t0 = _children_cpu(), time.perf_counter()
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
        times.append(time.perf_counter() - t0)
        cpus.append(_children_cpu() - c0)
        hits.append(server.hits() if not hits else server.conditional())
        if proc.returncode != 0:
            print(f"newsboat failed: {proc.stderr.strip()[:300]}", file=sys.stderr)
            return None
    return times[0], times[1], hits[0], hits[1], cpus[0], cpus[1]


# -- the nginx mix (issue 16) ------------------------------------------------------------

WORDS = (
    "embassy officials said monday talks ministry harbour council election budget court "
    "ruling pier storm ferry quay minister parliament vote report agency market prices "
    "energy gas pipeline border crossing refugees aid convoy ceasefire negotiators capital "
    "statement spokesperson according documents reviewed week earlier later region city"
).split()


def _prose(rng: object, words: int) -> str:
    pick = rng.choice  # type: ignore[attr-defined]
    out = []
    for n in range(words):
        out.append(pick(WORDS))
        if n % 14 == 13:
            out[-1] += "."
    return " ".join(out).capitalize() + "."


def build_mix(root: Path, base_url: str, mix: int, generated: int, items: int) -> list[str]:
    """Static feeds under ``root``: ``mix`` of very different sizes, then ``generated``
    like ``build_feeds``'s; returns their URLs (deterministic)."""
    import html as html_mod
    import random

    rng = random.Random(16)
    (root / "mix").mkdir(parents=True, exist_ok=True)
    (root / "gen").mkdir(parents=True, exist_ok=True)
    urls = []
    for f in range(mix):
        # sizes: most feeds small, some medium, a few huge (hundreds of items, ~0.5 MB)
        kind = f % 17
        count = 500 if kind == 0 else 200 if kind in (1, 2) else rng.randint(5, 60)
        words = 40 if kind == 0 else 250 if kind in (3, 4) else rng.choice((20, 40, 80))
        atom = f % 3 == 1
        entries = []
        for i in range(count):
            link = f"{base_url}/mix/{f}/story-{i}.html"
            title = html_mod.escape(f"{_prose(rng, 8)[:-1]} ({f}.{i})")
            body = html_mod.escape(f"<p>{_prose(rng, words)}</p><p>{_prose(rng, words // 2)}</p>")
            day = 1 + i % 28
            if atom:
                entries.append(
                    f'<entry><title>{title}</title><link rel="alternate" href="{link}"/>'
                    f"<id>urn:mix:{f}:{i}</id><updated>2026-11-{day:02d}T10:00:00Z</updated>"
                    f'<content type="html">{body}</content></entry>'
                )
            else:
                entries.append(
                    f"<item><title>{title}</title><link>{link}</link>"
                    f'<guid isPermaLink="false">mix-{f}-{i}</guid>'
                    f"<pubDate>Mon, {day:02d} Nov 2026 10:00:00 GMT</pubDate>"
                    f"<description>{body}</description></item>"
                )
        if atom:
            doc = (
                '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                f"<title>Mix outlet {f}</title><id>urn:mix:{f}</id>"
                f"<updated>2026-11-28T10:00:00Z</updated>{''.join(entries)}</feed>"
            )
            name = f"mix/{f}.atom"
        else:
            doc = (
                '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                f"<title>Mix outlet {f}</title><link>{base_url}/</link>"
                f"<description>mix</description>{''.join(entries)}</channel></rss>"
            )
            name = f"mix/{f}.rss"
        (root / name).write_text(doc, encoding="utf-8")
        urls.append(f"{base_url}/{name}")
    for f in range(generated):
        entries = [
            {
                "title": f"Feed {f} item {i}: embassy moves from Kyiv to Lviv",
                "link": f"{base_url}/gen/f{f}/item{i}.html",
                "guid": f"f{f}-i{i}",
                "pubDate": f"Mon, 14 Feb 2022 {i % 24:02d}:00:00 GMT",
                "description": (
                    f"<p>Item {i} of feed {f}. The United States is relocating its embassy "
                    "operations from Kyiv to Lviv, officials said on Monday.</p>" * 3
                ),
            }
            for i in range(items)
        ]
        (root / "gen" / f"f{f}.rss").write_text(rss(f"Outlet {f}", entries), encoding="utf-8")
        urls.append(f"{base_url}/gen/f{f}.rss")
    return urls


class NginxCounter:
    """``RemoteServer``'s counting, read from nginx's access log."""

    def __init__(self, server: object) -> None:
        self.server = server

    def reset(self) -> None:
        self.server.reset_log()  # type: ignore[attr-defined]

    def hits(self) -> int:
        return len(self.server.log())  # type: ignore[attr-defined]

    def conditional(self) -> int:
        return sum(1 for status, _ in self.server.log() if status == 304)  # type: ignore[attr-defined]


def main_nginx(args: argparse.Namespace) -> int:
    from tests.nginx import NGINX_MISSING, Nginx, find_nginx

    binary = find_nginx()
    if binary is None:
        print(f"bench_fetch --nginx: {NGINX_MISSING}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="parallax-nginx-") as tmp:
        root = Path(tmp) / "site"
        root.mkdir()
        server = Nginx(root, Path(tmp) / "nginx", binary).start()
        try:
            urls = build_mix(root, server.base_url, args.mix, args.feeds, args.items)
            sizes = sorted(p.stat().st_size for p in root.rglob("*.*"))
            counter = NginxCounter(server)
            cm: list[Row] = []
            nb: list[Row] = []
            for _ in range(args.runs):
                with tempfile.TemporaryDirectory(prefix="parallax-bench-") as work:
                    cm.append(bench_command(counter, urls, Path(work)))  # type: ignore[arg-type]
                with tempfile.TemporaryDirectory(prefix="parallax-bench-") as work:
                    result = bench_newsboat(counter, urls, Path(work), args.threads)  # type: ignore[arg-type]
                    if result is not None:
                        nb.append(result)
        finally:
            server.stop()

    def median(rows: list[Row], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    total = sum(sizes)
    print(
        f"\n{len(urls)} feeds behind nginx ({args.mix} of mixed sizes + {args.feeds} generated; "
        f"{sizes[0] / 1024:.0f} kB to {sizes[-1] / 1024:.0f} kB, {total / 1024 / 1024:.1f} MB "
        f"in all), median of {args.runs}; load average {os.getloadavg()[0]:.2f}"
    )
    print(
        "Parallax: the whole `parallax fetch --no-pages --no-analyze`; newsboat: "
        f"`newsboat -x reload`, {args.threads} threads\n"
    )
    head = f"{'measure':<24}{'parallax':>10}{'newsboat':>10}{'ratio':>8}{'verdict':>9}"
    print(head)
    print("-" * len(head))
    over = False
    for label, i in (
        ("cold, wall (s)", 0),
        ("cold, CPU (s)", 4),
        ("unchanged, wall (s)", 1),
        ("unchanged, CPU (s)", 5),
    ):
        mine = median(cm, i)
        if nb:
            theirs = median(nb, i)
            ratio = mine / theirs if theirs else float("inf")
            verdict = "" if i in (4, 5) else ("ok" if ratio <= 1.0 else "OVER")
            over = over or verdict == "OVER"
            print(f"{label:<24}{mine:>10.3f}{theirs:>10.3f}{ratio:>7.2f}x{verdict:>9}")
        else:
            print(f"{label:<24}{mine:>10.3f}{'n/a':>10}")
    for label, i in (("requests, cold", 2), ("304s, unchanged", 3)):
        theirs = str(nb[-1][i]) if nb else "n/a"
        print(f"{label:<24}{cm[-1][i]:>10}{theirs:>10}")
    if not nb:
        print("\nnewsboat not found or failed (apt-get install -y newsboat): no comparison")
    return 1 if over else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--runs", type=int, default=5, help="repetitions; the median is reported")
    ap.add_argument("--threads", type=int, default=8, help="newsboat reload-threads")
    ap.add_argument(
        "--command",
        action="store_true",
        help="also time the whole `parallax fetch --no-pages --no-analyze` command",
    )
    ap.add_argument(
        "--nginx",
        action="store_true",
        help="the realistic mix behind a real nginx: the whole command against newsboat",
    )
    ap.add_argument("--mix", type=int, default=85, help="--nginx: feeds of mixed sizes")
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.serve:
        serve(args.feeds, args.items)
        return 0
    if args.nginx:
        return main_nginx(args)

    server = RemoteServer(args.feeds, args.items)
    try:
        urls = server.urls
        px: list[Row] = []
        nb: list[Row] = []
        cm: list[Row] = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
                px.append(bench_parallax(server, urls, Path(tmp)))
            with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
                result = bench_newsboat(server, urls, Path(tmp), args.threads)
                if result is not None:
                    nb.append(result)
            if args.command:
                with tempfile.TemporaryDirectory(prefix="parallax-bench-") as tmp:
                    cm.append(bench_command(server, urls, Path(tmp)))
    finally:
        server.stop()

    def median(rows: list[Row], i: int) -> float:
        return statistics.median(r[i] for r in rows)

    def spread(rows: list[Row], i: int) -> str:
        return f"{min(r[i] for r in rows):.3f}-{max(r[i] for r in rows):.3f}"

    budget_cold = median(nb, 0) if nb else BUDGET_COLD_PER_FEED * args.feeds
    budget_warm = median(nb, 1) if nb else BUDGET_UNCHANGED_PER_FEED * args.feeds
    print(
        f"\n{args.feeds} feeds x {args.items} items, local server, median of {args.runs} "
        f"(Parallax: refresh_feeds(pages=False), 8 workers; newsboat: -x reload, "
        f"{args.threads} threads); load average {os.getloadavg()[0]:.2f}; budget: "
        + ("newsboat's medians (budget 7)\n" if nb else "per-feed ceilings (no newsboat)\n")
    )
    head = (
        f"{'measure':<28}{'budget':>8}{'parallax':>10}{'(min-max)':>14}"
        f"{'newsboat':>10}{'(min-max)':>14}{'verdict':>9}"
    )
    print(head)
    print("-" * len(head))
    for label, i, budget in (
        ("cold refresh, wall (s)", 0, budget_cold),
        ("cold refresh, CPU (s)", 4, None),
        ("unchanged refresh, wall (s)", 1, budget_warm),
        ("unchanged refresh, CPU (s)", 5, None),
    ):
        mine = median(px, i)
        theirs = f"{median(nb, i):>10.3f}{spread(nb, i):>14}" if nb else f"{'n/a':>10}{'':>14}"
        verdict = "" if budget is None else ("ok" if mine <= budget else "OVER")
        shown = "" if budget is None else f"{budget:.3f}"
        print(f"{label:<28}{shown:>8}{mine:>10.3f}{spread(px, i):>14}{theirs}{verdict:>9}")
    for label, i in (("requests, cold", 2), ("conditional GETs, unchanged", 3)):
        theirs = str(nb[-1][i]) if nb else "n/a"
        print(f"{label:<28}{'':>8}{px[-1][i]:>10}{'':>14}{theirs:>10}")
    if cm:
        print("\nthe whole command, `parallax fetch --no-pages --no-analyze`:")
        for label, i in (
            ("cold, wall (s)", 0),
            ("cold, CPU (s)", 4),
            ("unchanged, wall (s)", 1),
            ("unchanged, CPU (s)", 5),
        ):
            print(f"{label:<28}{'':>8}{median(cm, i):>10.3f}{spread(cm, i):>14}")
    if nb:
        ratio = median(px, 0) / median(nb, 0)
        print(f"\ncold refresh, Parallax / newsboat (wall, medians): {ratio:.2f}x")
    else:
        print("\nnewsboat not found or failed (apt-get install -y newsboat)")
    over = median(px, 0) > budget_cold or median(px, 1) > budget_warm
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
