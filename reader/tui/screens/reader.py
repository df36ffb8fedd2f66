"""One article, full screen: the text as published, with its entities once analysed.

Opening an article here marks it read (issue 11); ``m`` toggles it back to unread,
``s`` saves it, ``o`` opens its URL in a browser and ``y`` copies the URL (see
``reader.tui.open_url``).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Header, Static

from reader.analysis.entities import EntityIndex
from reader.models import Article, ArticleAnalysis
from reader.store import StoreError
from reader.tui.faults import store_action
from reader.tui.messages import OpenComparison
from reader.tui.screens.base import ParallaxScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.key_footer import KeyFooter


class ReaderScreen(ParallaxScreen[None]):
    PALETTE_GROUP = "reader"
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="reader.back"),
        Binding("j", "scroll('down')", "Down", show=False, id="reader.down"),
        Binding("k", "scroll('up')", "Up", show=False, id="reader.up"),
        Binding("c", "compare", "Compare story", id="reader.compare"),
        Binding("m", "toggle_read", "Read/unread", show=False, id="reader.toggle_read"),
        Binding("s", "save", "Save", show=False, id="reader.save"),
        Binding("o", "open_url", "Open in browser", id="reader.open_url"),
        Binding("y", "copy_url", "Copy URL", show=False, id="reader.copy_url"),
    ]

    @dataclass
    class Loaded(Message):
        article: Article | None

    @dataclass
    class Analysed(Message):
        analysis: ArticleAnalysis
        index: EntityIndex

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article_id = article_id
        self.article: Article | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("loading…", id="placeholder", markup=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def load(self) -> None:
        store = self.store
        try:
            store.set_read([self.article_id], True)  # opening an article reads it
        except StoreError:
            pass  # busy or read-only: the article is shown all the same
        self.post_message(self.Loaded(store.get_article(self.article_id)))

    @on(Loaded)
    async def _loaded(self, message: Loaded) -> None:
        if message.article is None:
            self.query_one("#placeholder", Static).update(
                "this article is no longer in the library"
            )
            return
        self.article = message.article
        await self.query_one("#placeholder").remove()
        view = ArticleView(message.article, id="article")
        await self.mount(view, before=self.query_one(KeyFooter))
        view.focus()
        self.analyse()

    @work(thread=True, exclusive=True, group="reader-analysis", exit_on_error=False)
    def analyse(self) -> None:
        from reader.analysis.cache import analyse_and_link

        assert self.article is not None
        store = self.store
        analyses, index = analyse_and_link(store, [self.article], processes=1)
        self.post_message(self.Analysed(analyses[self.article.id], index))

    @on(Analysed)
    def _analysed(self, message: Analysed) -> None:
        from reader.tui.highlight import entity_highlights, entity_mentions

        assert self.article is not None
        analyses = {self.article.id: message.analysis}
        mentions = entity_mentions(message.index, analyses, [self.article])
        highlights = entity_highlights(message.index, analyses, mentions=mentions)
        self.query_one(ArticleView).set_highlights(highlights.get(self.article.id, []))

    def action_scroll(self, direction: str) -> None:
        view = self.query_one(ArticleView)
        view.scroll_down() if direction == "down" else view.scroll_up()

    def action_compare(self) -> None:
        self.post_message(OpenComparison(self.store.story_article_ids(self.article_id)))

    @store_action
    def action_toggle_read(self) -> None:
        read = self.store.toggle_read(self.article_id)
        self.notify("Marked read" if read else "Marked unread", markup=False, timeout=2)

    @store_action
    def action_save(self) -> None:
        saved = self.store.toggle_saved(self.article_id)
        self.notify("Saved" if saved else "Unsaved", markup=False, timeout=2)

    def action_open_url(self) -> None:
        from reader.tui.open_url import open_url

        if self.article is not None:
            open_url(self.app, self.article.url)

    def action_copy_url(self) -> None:
        from reader.tui.open_url import copy_url

        if self.article is not None:
            copy_url(self.app, self.article.url)
