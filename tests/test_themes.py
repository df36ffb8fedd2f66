"""Themes and terminals: every theme renders every main screen, user themes, the remembered
choice, NO_COLOR, the help screen of each screen, and the real app in tmux with 16 and 256
colours at 80x24.

Snapshots: `pytest tests/test_themes.py --snapshot-update`, then look at
tests/__snapshots__/test_themes/ before accepting (two of them are the README's screenshots).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from reader.tui.themes import DEFAULT_THEME
from tests.tui_helpers import app_for, open_story, settle

BUNDLED = ["high-contrast", "monochrome", "parallax-dark", "parallax-light", "solarized"]


# -- every theme renders every main screen --------------------------------------------------
async def _library(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)


async def _compare(pilot) -> None:  # type: ignore[no-untyped-def]
    await open_story(pilot, pilot.app)


async def _timeline(pilot) -> None:  # type: ignore[no-untyped-def]
    """The seed story's full-screen timeline (library `t`)."""
    from reader.tui.screens.timeline import TimelineScreen

    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    assert isinstance(pilot.app.screen, TimelineScreen)


async def _diff(pilot) -> None:  # type: ignore[no-untyped-def]
    from reader.tui.screens.diff import DiffScreen

    await settle(pilot)
    await pilot.press("d")
    await settle(pilot)
    assert isinstance(pilot.app.screen, DiffScreen)


SCREENS: dict[str, Callable[..., Awaitable[None]]] = {
    "library": _library,
    "compare": _compare,
    "timeline": _timeline,
    "diff": _diff,
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("theme", BUNDLED)
def test_every_theme_renders_every_screen(  # type: ignore[no-untyped-def]
    snap_compare, analysed_db: Path, theme: str, screen: str
) -> None:
    assert snap_compare(
        app_for(analysed_db, theme=theme), terminal_size=(80, 24), run_before=SCREENS[screen]
    )


# -- colours that survive 16- and 256-colour terminals ---------------------------------------
def _sgr(theme, style: str, system) -> tuple[int | None, frozenset[str]]:  # type: ignore[no-untyped-def]
    """(downgraded colour number, attributes) of a highlight style such as '$entity-1 bold'."""
    from rich.color import Color

    colour: int | None = None
    attributes: set[str] = set()
    words = [
        w
        for part in style.split()
        for w in (theme.variables.get(part[1:], part) if part.startswith("$") else part).split()
    ]
    for word in words:
        if word.startswith("#"):
            colour = Color.parse(word).downgrade(system).number
        elif word != "on":
            attributes.add(word)
    if colour is None:
        colour = Color.parse(theme.foreground).downgrade(system).number
    return colour, frozenset(attributes)


@pytest.mark.parametrize("system", ["standard", "256"])
@pytest.mark.parametrize("name", BUNDLED)
def test_highlights_stay_distinguishable_when_colours_are_downgraded(
    name: str, system: str
) -> None:
    """What Textual writes to a 16- or 256-colour terminal: each colour downgraded by Rich."""
    from rich.color import ColorSystem

    from reader.tui.highlight import TYPE_STYLE, TYPE_VARIABLE
    from reader.tui.themes import load_themes

    colour_system = {"standard": ColorSystem.STANDARD, "256": ColorSystem.EIGHT_BIT}[system]
    theme = load_themes().themes[name]
    plain = _sgr(theme, "", colour_system)

    # The four entity types differ from each other and from plain text.
    types = {
        t: _sgr(theme, f"${v} {TYPE_STYLE[t]}", colour_system) for t, v in TYPE_VARIABLE.items()
    }
    assert len(set(types.values())) == 4, types
    assert plain not in types.values()

    # Removed, added and changed words differ from each other and from unchanged text.
    diff = {k: _sgr(theme, f"$diff-{k}", colour_system) for k in ("insert", "delete", "change")}
    assert len({*diff.values(), plain}) == 4, diff

    if name == "monochrome":  # no colour: the type's style is the only distinction
        return
    # No entity colour falls onto the text colour (a group's name would look like plain text).
    ranked = {i: _sgr(theme, f"$entity-{i}", colour_system)[0] for i in range(1, 9)}
    assert plain[0] not in ranked.values(), ranked
    assert plain[0] not in {c for c, _ in types.values()}, types
    if system == "standard":
        # Black, grey, light grey and white (0, 8, 7, 15) read as plain text in most palettes.
        greys = {0, 7, 8, 15}
        colours = {*ranked.values(), *(c for c, _ in (*types.values(), *diff.values()))}
        assert not colours & greys, (ranked, types, diff)
    # The story's eight most-mentioned entities get eight different colours. Solarized has
    # only eight accents: Rich maps red and orange to one 256-colour entry, and the eight to
    # four of the 16 ANSI colours (the types' bold/underline/italic still tell them apart).
    wanted = {"standard": 4, "256": 7}[system] if name == "solarized" else 8
    assert len(set(ranked.values())) >= wanted, ranked


# -- user themes, the remembered choice, --theme, `parallax themes` ---------------------------
def _record_notifications(app) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return seen


def _config_dir() -> Path:
    from reader.config import user_config_dir

    return user_config_dir()


USER_THEME = """\
name = "harbour"
dark = true
primary = "#00afaf"
foreground = "#dadada"
background = "#00005f"

[variables]
entity-person = "#ffd700"
"""


async def test_a_user_theme_is_loaded_and_selectable(analysed_db: Path) -> None:
    themes = _config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "harbour.toml").write_text(USER_THEME, encoding="utf-8")
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "harbour" in app.available_themes
        assert app.theme == DEFAULT_THEME
        await pilot.press("ctrl+p")
        await pilot.press(*"theme: harbour")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.theme == "harbour"
        assert app.theme_variables["entity-person"] == "#ffd700"
        assert app.theme_variables["entity-org"]  # filled from the defaults


def test_parallax_themes_lists_the_five_and_user_themes(capsys: pytest.CaptureFixture[str]) -> None:
    from reader.cli import main

    themes = _config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "harbour.toml").write_text(USER_THEME, encoding="utf-8")
    assert main(["themes"]) == 0
    rows = dict(line.split("\t") for line in capsys.readouterr().out.splitlines())
    assert {n: rows[n] for n in BUNDLED} == dict.fromkeys(BUNDLED, "bundled")
    assert rows["harbour"] == str(themes / "harbour.toml")


@pytest.mark.parametrize(
    "text",
    [
        'name = "broken"\nprimary = "#ff0000\n',  # not TOML
        'name = "broken"\nprimary = "not-a-colour"\n',
        'name = "broken"\nprimary = "#ff0000"\n[variables]\nentity-person = "[/b]"\n',
    ],
    ids=["toml", "colour", "style"],
)
async def test_a_broken_user_theme_gives_one_notice_and_falls_back(
    analysed_db: Path, text: str
) -> None:
    themes = _config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "broken.toml").write_text(text, encoding="utf-8")
    (_config_dir() / "config.toml").write_text('theme = "broken"\n', encoding="utf-8")
    app = app_for(analysed_db)
    seen = _record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert "broken" not in app.available_themes
        assert len(seen) == 1 and "broken.toml" in seen[0], seen
        assert type(app.screen).__name__ == "LibraryScreen"


async def test_the_theme_choice_is_saved_and_used_on_the_next_start(analysed_db: Path) -> None:
    from reader.state import State

    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        await pilot.press("ctrl+t")
        await settle(pilot)
        chosen = app.theme
        assert chosen != DEFAULT_THEME
    assert State.load().theme == chosen  # remembered state, not the user's config.toml
    assert not (_config_dir() / "config.toml").exists()

    again = app_for(analysed_db)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == chosen


async def test_an_unknown_theme_falls_back_with_a_notice(analysed_db: Path) -> None:
    app = app_for(analysed_db, theme="nope")
    seen = _record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        assert seen == [f"unknown theme 'nope'; using {DEFAULT_THEME}"]
    # a one-off --theme is not remembered
    assert not (_config_dir() / "config.toml").exists()


def test_cli_passes_theme_through(monkeypatch: pytest.MonkeyPatch, analysed_db: Path) -> None:
    from reader import cli
    from reader.tui.app import ParallaxApp

    started: list[str | None] = []
    monkeypatch.setattr(ParallaxApp, "run", lambda self: started.append(self._requested_theme))
    assert cli.main(["--db", str(analysed_db), "--theme", "nope"]) == 0
    assert started == ["nope"]


# -- NO_COLOR ------------------------------------------------------------------------------------
async def test_no_color_uses_monochrome_and_entity_types_stay_distinguishable(
    analysed_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reader.tui.widgets.article_view import ArticleView

    monkeypatch.setenv("NO_COLOR", "1")
    app = app_for(analysed_db, theme="solarized")  # NO_COLOR wins over --theme
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_story(pilot, app)
        assert app.theme == "monochrome" and app.no_color
        looks: dict[str, set[tuple[bool, bool, bool, bool]]] = {}
        for pane in screen.query(ArticleView):
            for body in pane.query(".article-body"):
                for y in range(body.size.height):
                    for segment in body.render_line(y):
                        style = segment.style
                        if style is None:
                            continue
                        look = (
                            bool(style.bold),
                            bool(style.underline),
                            bool(style.italic),
                            bool(style.reverse),
                        )
                        looks.setdefault(segment.text.strip(), set()).add(look)
        # person: bold; place: underlined; organisation: italic; and none is coloured
        assert looks["Blinken"] == {(True, False, False, False)}, looks.get("Blinken")
        assert looks["Lviv"] == {(False, True, False, False)}, looks.get("Lviv")
        assert looks["The US State Department"] == {(False, False, True, False)}
    assert not (_config_dir() / "config.toml").exists()  # the fallback is not remembered


# -- the help screen lists every key of the current screen ----------------------------------
def _own_bindings(node: object):  # type: ignore[no-untyped-def]
    """Bindings declared by Parallax's own classes (not Textual's built-in scrolling keys)."""
    from textual.binding import Binding

    for cls in type(node).__mro__:
        if cls.__module__.startswith("reader."):
            for item in cls.__dict__.get("BINDINGS", []):
                yield item if isinstance(item, Binding) else Binding(*item)


@pytest.mark.parametrize(
    ("keys", "screen_name"),
    [
        ((), "LibraryScreen"),
        (("j", "enter"), "ReaderScreen"),
        (("c",), "CompareScreen"),
        (("c", "t"), "CompareScreen"),
        (("t",), "TimelineScreen"),
        (("d",), "DiffScreen"),
        (("f",), "FeedsScreen"),
    ],
    ids=["library", "reader", "compare", "compare-timeline", "timeline", "diff", "feeds"],
)
async def test_help_lists_every_key_of_the_screen(
    analysed_db: Path, keys: tuple[str, ...], screen_name: str
) -> None:
    from textual.widgets import Static

    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        assert type(app.screen).__name__ == screen_name
        nodes = {id(n): n for n in (app, app.screen, *app.screen.focus_chain)}
        wanted = [b for n in nodes.values() for b in _own_bindings(n) if b.description]
        if app.focused is not None:
            wanted += [b for n in app.focused.ancestors_with_self for b in _own_bindings(n)]
        await pilot.press("question_mark")
        await pilot.pause()
        help_text = app.screen.query_one("#help-keys", Static).visual.plain  # type: ignore[attr-defined]
        for binding in wanted:
            if not binding.description:
                continue
            key = binding.key_display or binding.key.split(",")[0]
            assert binding.description in help_text, binding
            assert key in help_text or app.get_key_display(binding) in help_text, binding


# -- the real app in a 16- and a 256-colour terminal (tmux) ----------------------------------
PARALLAX = str(Path(sys.executable).with_name("parallax"))
_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
Look = tuple[
    str, str, frozenset[int]
]  # (foreground, background, attributes) as the terminal got them


def _looks(line: str) -> tuple[str, list[Look]]:
    """A `capture-pane -e` line as plain text plus each character's SGR state."""
    fg, bg, attrs = "default", "default", set[int]()
    text, looks = [], []
    pos = 0
    for match in [*_SGR.finditer(line), None]:
        chunk = line[pos : match.start() if match else len(line)]
        text.append(chunk)
        looks += [(fg, bg, frozenset(attrs))] * len(chunk)
        if match is None:
            break
        pos = match.end()
        params = [int(p) if p else 0 for p in re.split("[;:]", match.group(1))]
        i = 0
        while i < len(params):
            p = params[i]
            if p == 0:
                fg, bg, attrs = "default", "default", set()
            elif p in (1, 2, 3, 4, 5, 7, 9):
                attrs.add(p)
            elif p in (22, 23, 24, 25, 27, 29):
                attrs -= {1, 2} if p == 22 else {p - 20}
            elif 30 <= p <= 37 or 90 <= p <= 97:
                fg = f"ansi {p}"
            elif 40 <= p <= 47 or 100 <= p <= 107:
                bg = f"ansi {p}"
            elif p in (38, 48):
                kind = params[i + 1] if i + 1 < len(params) else 0
                n = 3 if kind == 5 else 5
                value = f"{'256' if kind == 5 else 'rgb'} {params[i + 2 : i + n]}"
                fg, bg = (value, bg) if p == 38 else (fg, value)
                i += n - 1
            elif p == 39:
                fg = "default"
            elif p == 49:
                bg = "default"
            i += 1
    return "".join(text), looks


def _look_of(screen: str, word: str) -> set[Look]:
    """How every whole-word occurrence of ``word`` on the screen starts."""
    found = set()
    for line in screen.splitlines():
        text, looks = _looks(line)
        for m in re.finditer(rf"(?<![\w]){re.escape(word)}(?![\w])", text):
            found.add(looks[m.start()])
    assert found, f"{word!r} is not on the screen"
    return found


@pytest.fixture
def real_terminal(tmp_path: Path, analysed_db: Path):  # type: ignore[no-untyped-def]
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    from tests.test_e2e_tmux import Tmux

    env = {**os.environ, "TMUX_TMPDIR": str(tmp_path)}
    env.pop("TMUX", None)
    env.pop("COLORTERM", None)
    env.pop("TEXTUAL_COLOR_SYSTEM", None)
    session = Tmux(f"parallax-colours-{os.getpid()}", env)

    def start(term: str) -> Tmux:
        command = [
            "env",
            "-u",
            "COLORTERM",
            f"TERM={term}",
            f"PARALLAX_DB={analysed_db}",
            f"PARALLAX_CONFIG_DIR={tmp_path / 'config'}",
            PARALLAX,
        ]
        session.run("new-session", "-d", "-s", session.name, "-x", "80", "-y", "24", *command)
        return session

    yield start
    subprocess.run(["tmux", "kill-server"], env=env, capture_output=True, timeout=30)


def _coloured(session, text: str) -> str:  # type: ignore[no-untyped-def]
    session.wait_for(text)
    time.sleep(0.5)  # let the last frame land
    return session.run("capture-pane", "-e", "-p", "-t", session.name)


@pytest.mark.e2e
@pytest.mark.parametrize("term", ["xterm", "xterm-256color"], ids=["16-colours", "256-colours"])
def test_entity_and_diff_highlights_differ_in_a_real_terminal(real_terminal, term: str) -> None:  # type: ignore[no-untyped-def]
    """TERM=xterm makes Textual (through Rich) write the 16 ANSI colours; xterm-256color, 256."""
    session = real_terminal(term)
    session.wait_for("AFP via French")
    session.keys("c")
    screen = _coloured(session, "panes 1-2 of 4")
    plain = session.screen()
    assert all(len(line) <= 80 for line in plain.splitlines()), plain
    if term == "xterm":
        assert "38;5;" not in screen and "38;2;" not in screen, "not a 16-colour rendering"
    else:
        assert "38;5;" in screen and "38;2;" not in screen, "not a 256-colour rendering"

    def highlighted(word: str, attribute: int) -> set[tuple[str, frozenset[int]]]:
        """(colour, attributes) of the word where it is highlighted as an entity."""
        found = {(fg, attrs) for fg, _, attrs in _look_of(screen, word) if attribute in attrs}
        assert found, f"{word!r} is not highlighted"
        return found

    bold, underline = 1, 4
    person, place = highlighted("Blinken", bold), highlighted("Lviv", underline)
    assert person.isdisjoint(place), (person, place)
    # two places: the story's most-mentioned (Ukraine) and second (US) get their own colours
    ukraine, us = highlighted("Ukraine", underline), highlighted("US", underline)
    assert {c for c, _ in ukraine}.isdisjoint({c for c, _ in us}), (ukraine, us)
    body = {fg for fg, _, attrs in _look_of(screen, "relocating") if not attrs}
    assert body, "no plain body text"
    for entity in (person, place, ukraine, us):
        assert {c for c, _ in entity}.isdisjoint(body), (entity, body)

    session.keys("Escape")
    session.wait_for("AFP via French")
    session.keys("d")
    screen = _coloured(session, "legend:")
    legend = [_look_of(screen, w) for w in ("legend", "removed", "added", "changed")]
    for i, a in enumerate(legend):
        for b in legend[i + 1 :]:
            assert a.isdisjoint(b), legend
    assert all(len(line) <= 80 for line in session.screen().splitlines())
    session.keys("q")


# -- a marked sentence keeps its entities readable (issue 20, item 1) -----------------------
def _luminance(color) -> float:  # type: ignore[no-untyped-def]
    def channel(c: int) -> float:
        v = c / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    r, g, b = color.triplet if color.triplet else color.get_truecolor()
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(fg, bg) -> float:  # type: ignore[no-untyped-def]
    a, b = sorted((_luminance(fg), _luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


@pytest.mark.parametrize("theme", BUNDLED)
async def test_entities_in_a_marked_sentence_stay_readable(analysed_db: Path, theme: str) -> None:
    """Every segment of the marked sentence (entities included) reads at 4.5:1 or more."""
    app = app_for(analysed_db, theme=theme)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_story(pilot, app)
        pane = screen.panes[0]
        analysis = screen.analyses[pane.article.id]
        inside = [
            s
            for s in analysis.sentences
            if sum(s.start <= h.start < s.end for h in pane.highlights) >= 2
        ]
        sentence = inside[0]
        pane.mark(sentence.start, sentence.end)
        await pilot.pause()
        marked = pane.article.text[sentence.start : sentence.end]
        body = pane.query_one("ArticleBody")
        segments = []
        for y in range(body.size.height):
            for seg in body.render_line(y):
                style = seg.style
                if not seg.text.strip() or style is None or seg.text.strip() not in marked:
                    continue
                fg, bg = style.color, style.bgcolor
                if style.reverse:
                    fg, bg = bg, fg
                if fg is None or bg is None:
                    continue
                segments.append((fg, bg, seg.text))
        # the mark's background: the one under most of the sentence's characters
        share: dict[object, int] = {}
        for _, bg, text in segments:
            share[bg] = share.get(bg, 0) + len(text)
        background = app.current_theme.background.lower()  # type: ignore[union-attr]
        share = {bg: n for bg, n in share.items() if bg.get_truecolor().hex != background}  # type: ignore[attr-defined]
        mark_bg = max(share, key=share.__getitem__)
        inside = [(fg, bg, text) for fg, bg, text in segments if bg == mark_bg]
        seen = "".join(text for *_, text in inside)
        assert len(seen.split()) >= len(marked.split()) // 2, (seen, marked)
        ratios = [(round(_contrast(fg, bg), 2), text) for fg, bg, text in inside]
        assert min(ratios)[0] >= 4.5, min(ratios)


# -- the theme cycle and the palette hold Parallax's and the user's themes (item 8) ---------
async def test_ctrl_t_cycles_only_parallax_and_user_themes(analysed_db: Path) -> None:
    themes = _config_dir() / "themes"
    themes.mkdir(parents=True)
    (themes / "harbour.toml").write_text(USER_THEME, encoding="utf-8")
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        seen = []
        for _ in range(len(BUNDLED) + 1):
            await pilot.press("ctrl+t")
            seen.append(app.theme)
        assert sorted(seen) == sorted([*BUNDLED, "harbour"])
        await pilot.press("ctrl+t")
        assert app.theme == seen[0]  # round again


async def test_the_palette_offers_own_themes_and_quit_once(analysed_db: Path) -> None:
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        themes = sorted(t.removeprefix("theme: ") for t in titles if t.startswith("theme: "))
        assert themes == sorted(BUNDLED)
        assert sum("quit" in t.lower() for t in titles) == 1


# -- help from the active bindings (item 9) --------------------------------------------------
def _help_text(app) -> str:  # type: ignore[no-untyped-def]
    from textual.widgets import Static

    return app.screen.query_one("#help-keys", Static).visual.plain  # type: ignore[no-any-return]


async def test_help_shows_remapped_keys_movement_keys_and_says_it_scrolls(
    analysed_db: Path,
) -> None:
    config = _config_dir()
    config.mkdir(parents=True, exist_ok=True)
    (config / "config.toml").write_text('[keys]\n"compare.next_mention" = "m"\n')
    app = app_for(analysed_db)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_story(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        text = _help_text(app)
        rows = {line.split("  ")[-1].strip(): line for line in text.splitlines()}
        assert "m" in rows["Next mention"].split() and " n " not in rows["Next mention"]
        for key in ("tab", "pgup", "pgdn", "home", "end", "z"):
            assert key in text.split(), key
        assert "timeline pane" in text  # how to move in it, before it is even open
        scroll = app.screen.query_one("HelpScroll")
        assert "scroll" in str(scroll.border_subtitle)
        before = scroll.scroll_y
        await pilot.press("j", "j")
        await pilot.pause()
        assert scroll.scroll_y > before
        await pilot.press("end")
        await pilot.pause()
        assert "(end)" in str(scroll.border_subtitle)


@pytest.mark.parametrize("theme", ["parallax-dark", "parallax-light"])
@pytest.mark.parametrize("screen", ["library", "compare", "timeline", "diff"])
def test_the_docs_screenshots_are_the_current_snapshots(theme: str, screen: str) -> None:
    """docs/themes.md and the README show these; they are the themed snapshots, copied.
    After accepting new snapshots: cp tests/__snapshots__/test_themes/\\
    test_every_theme_renders_every_screen[THEME-SCREEN].svg docs/screenshots/THEME-SCREEN.svg"""
    root = Path(__file__).resolve().parent.parent
    snapshot = (
        root
        / "tests"
        / "__snapshots__"
        / "test_themes"
        / f"test_every_theme_renders_every_screen[{theme}-{screen}].svg"
    )
    shown = root / "docs" / "screenshots" / f"{theme}-{screen}.svg"
    assert shown.read_bytes() == snapshot.read_bytes(), f"{shown} is stale"
