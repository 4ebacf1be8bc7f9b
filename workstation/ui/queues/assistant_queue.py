"""The assistant's part of the suggestions queue (issue 16): its proposals for the documents
in scope, fetched in the background (``assistant_worker``), and the commands on them.

Every accept and reject is one step through ``Workbench.apply``, so it can be undone, and the
service records the decision the models learn from in the same transaction. An event draft
is never saved as it stands: Accept opens the event form prefilled with it, and only the
officer's Save creates the event. After a decision the row leaves the queue at once; the
next proposals (asked after every change) replace the rest when they arrive.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from workstation.domain.assistant import Proposal
from workstation.domain.records import (
    AssistantDecision,
    Category,
    ChangeSet,
    Episode,
    Event,
    Evidence,
)
from workstation.domain.text_display import shown_line
from workstation.domain.vocab import ENTITY_KINDS
from workstation.services.suggestions import Suggestion
from workstation.ui.common.operations import Operation
from workstation.ui.common.widgets import count_noun
from workstation.ui.queues.assistant_worker import ASSISTANT_KINDS, ProposalWorker, rebuild_models
from workstation.ui.queues.proposal_event_form import ProposalEventForm
from workstation.ui.shell.actions import ActionRegistry, ActionSpec

if TYPE_CHECKING:
    from workstation.services.assistant_status import AssistantStatus
    from workstation.ui.shell.workbench import Workbench

# The kinds a name can be accepted as (its context menu): people and bodies, not addresses.
NAME_KINDS = tuple(k for k in ENTITY_KINDS if k not in ("Address", "LegalEntity"))


class AssistantQueue(QObject):
    """Holds the newest proposals for the queue's scope and acts on them."""

    arrived = Signal()  # the proposals changed (arrived, or one was decided)
    event_form_opened = Signal(object)  # the ProposalEventForm, for tests and the reader

    def __init__(self, workbench: Workbench, parent: QWidget):
        super().__init__(parent)
        self.workbench, self.session = workbench, workbench.session
        self._parent = parent
        self.proposals: list[Proposal] = []
        self.scope: list[str] | None = []  # the documents asked for (None: all)
        self.active = False  # the queue shows assistant rows: keep them fresh
        self.form: ProposalEventForm | None = None
        self.worker = ProposalWorker(self.session, self)
        self.worker.ready.connect(self._arrived)
        self.worker.failed.connect(self.workbench.status.emit)
        self.received = 0  # results taken in (tests wait on it)
        self._event_titles: dict[str, str] = {}  # the events event drafts may answer
        self.rebuild_action: QAction | None = None  # registered with the dock's actions

    @property
    def reading(self) -> bool:
        return self.worker.busy

    # -- what it holds ----------------------------------------------------------------------

    def refresh(
        self,
        document_ids: Sequence[str] | None,
        *,
        keep: bool = True,
        touched: Collection[str] | None = None,
    ) -> None:
        """Ask again for ``document_ids`` (``None``: the workspace). ``keep``: the same scope
        as before, after an edit: the rows shown stay until the new ones arrive, and in the
        workspace only the ``touched`` documents are read again (``None``: all)."""
        scope = list(document_ids) if document_ids is not None else None
        fresh = not keep or scope != self.scope
        if fresh:
            self.proposals = [p for p in self.proposals if scope is None or p.document_id in scope]
        self.scope = scope
        if scope == []:
            self.proposals = []
        if not self.active or scope == []:
            return
        if fresh:
            self.worker.request(scope, ASSISTANT_KINDS)
        else:
            ask = list(touched) if scope is None and touched is not None else scope
            self.worker.request(ask, ASSISTANT_KINDS, merge=True)

    def _arrived(self, found: list[Proposal], covers: list[str] | None) -> None:
        self.received += 1
        scope, read = self.scope, set(covers) if covers is not None else None
        kept = [p for p in self.proposals if read is not None and p.document_id not in read]
        self.proposals = [p for p in kept + found if scope is None or p.document_id in scope]
        episodes = {p.episode_id for p in self.proposals if p.episode_id and p.kind == "event"}
        self._event_titles = {
            e.id: e.title for episode in episodes for e in self.session.episodes.events(episode)
        }
        self.arrived.emit()

    def event_title(self, event_id: str) -> str:
        return self._event_titles.get(event_id, self.tr("(an event since deleted)"))

    def entity_name(self, entity_id: str) -> str:
        entity = self.session.entities.find(entity_id)
        return entity.name if entity is not None else self.tr("(an entity since deleted)")

    def forget(self, decided: Sequence[Proposal]) -> None:
        """Take decided rows out now; the next proposals confirm it."""
        keys = {p.key for p in decided}
        self.proposals = [p for p in self.proposals if p.key not in keys]
        self.arrived.emit()

    # -- commands ---------------------------------------------------------------------------

    def accept(self, p: Proposal) -> bool:
        """Accept as proposed; an event opens the form (True: something was done)."""
        if p.kind == "event":
            return self.open_event_form(p) is not None
        if p.kind == "name":
            return self.accept_name(p, p.entity_kind)
        assistant = self.session.assistant
        text = self.tr("Mark passage as {category}").format(category=p.category)
        return self._apply(text, lambda: assistant.accept_passage(p), [p])

    def accept_name(self, p: Proposal, kind: str | None) -> bool:
        assistant, kind = self.session.assistant, kind or p.entity_kind or "Person"
        text = self.tr("Add {kind} “{name}”").format(kind=kind, name=p.normal or p.text)
        return self._apply(text, lambda: assistant.accept_name(p, kind=kind), [p])

    def merge_name(self, p: Proposal, entity_id: str, entity_name: str) -> bool:
        assistant = self.session.assistant
        text = self.tr("Merge “{text}” into {name}").format(text=p.text, name=entity_name)
        return self._apply(text, lambda: assistant.merge_name(p, entity_id), [p])

    def choose_merge(self, p: Proposal) -> bool:
        """Ask which entity the name is (the prompts' chooser), then merge into it."""
        entities = sorted(self.session.entities.list_entities(), key=lambda e: e.name.casefold())
        if not entities:
            self.workbench.status.emit(self.tr("The registry is empty: nothing to merge into"))
            return False
        labels = [f"{shown_line(e.name)} ({e.kind})" for e in entities]
        chosen = self.workbench.prompts.choose(
            self._parent,
            self.tr("Merge into entity"),
            self.tr("“{text}” is another name of:").format(text=shown_line(p.text)),
            labels,
        )
        if chosen is None or chosen not in labels:
            return False
        entity = entities[labels.index(chosen)]
        return self.merge_name(p, entity.id, entity.name)

    def reject(self, p: Proposal) -> bool:
        assistant = self.session.assistant
        what = {
            "name": self.tr("name"),
            "passage": self.tr("passage"),
            "event": self.tr("event draft"),
        }
        text = self.tr("Reject {what} “{text}”").format(
            what=what.get(p.kind, p.kind), text=_short(p.text)
        )
        same = [p]
        if p.kind == "name":  # a rejected name is never proposed again, anywhere
            words = {p.text.casefold()}
            same = [q for q in self.proposals if q.kind == "name" and q.text.casefold() in words]
        return self._apply(text, lambda: assistant.reject_proposal(p), same or [p])

    def accept_shown(
        self, mentions: Sequence[Suggestion], proposals: Sequence[Proposal], role: str
    ) -> None:
        """Accept-all: the mentions shown (linked as ``role``) and the names and passages
        shown, as ONE undo step, all of it or none."""
        if not mentions and not proposals:
            return
        tr, entities = self.tr, {s.entity_name for s in mentions}
        n = count_noun(len(mentions), tr("suggestion"), tr("suggestions"))
        if proposals:
            text = tr("Accept all {n} shown").format(n=len(mentions) + len(proposals))
        elif len(entities) == 1:
            text = tr("Link all {n} of {name}").format(n=n, name=next(iter(entities)))
        else:
            text = tr("Link all {n} shown ({k})").format(
                n=n, k=count_noun(len(entities), tr("entity"), tr("entities"))
            )
        links = self.session.suggestions

        def accept_them() -> ChangeSet:
            changes = links.accept_many(mentions, role) if mentions else ChangeSet([])
            try:
                more = self.accept_many(proposals)
            except Exception:
                self.session.revert(changes)  # one step: all of it or none
                raise
            if more is not None:
                changes.extend(more)
            return changes

        if self.workbench.apply(text, accept_them) is not None and proposals:
            self.forget(proposals)

    def accept_many(self, shown: Sequence[Proposal]) -> ChangeSet | None:
        """Names and passages as proposed, one transaction, one undo step. Never events."""
        chosen = [p for p in shown if p.kind in ("name", "passage")]
        if not chosen:
            return None
        return self.session.assistant.accept_proposals(chosen)

    def _apply(self, text: str, action: object, decided: Sequence[Proposal]) -> bool:
        done = self.workbench.apply(text, action, initiator=self)  # type: ignore[arg-type]
        if done is None:
            return False
        self.forget(decided)
        return True

    # -- the event form ---------------------------------------------------------------------

    def open_event_form(self, p: Proposal) -> ProposalEventForm | None:
        """The event form prefilled with the draft; nothing is made until Save."""
        if self.form is not None and self.form.isVisible():
            self.form.raise_()  # one at a time: what is typed in an open form is never lost
            self.form.activateWindow()
            return self.form
        if self.form is not None:
            self.form.deleteLater()
        try:
            self.form = ProposalEventForm(self.workbench, p, parent=self._parent)
        except ValueError as exc:
            self.workbench.status.emit(str(exc))
            return None
        self.form.saved.connect(lambda _event_id, decided=p: self.forget([decided]))
        self.form.show()
        self.event_form_opened.emit(self.form)
        return self.form

    # -- the context menu of a name ---------------------------------------------------------

    def menu(self, p: Proposal | None, parent: QWidget) -> QMenu:
        """The queue's context menu: for a name, "Accept as ▸ kind", "Merge into entity…"
        and Reject; always "Rebuild assistant"."""
        menu = QMenu(parent)
        menu.setObjectName("assistantMenu")
        if p is not None and p.kind == "name":
            accept_as = menu.addMenu(self.tr("Accept &as"))
            accept_as.setObjectName("assistantAcceptAsMenu")
            for kind in NAME_KINDS:
                action = accept_as.addAction(kind)
                action.setObjectName(f"assistantAcceptAs{kind}")
                action.triggered.connect(lambda _=False, k=kind: self.accept_name(p, k))
            merge = menu.addAction(self.tr("&Merge into entity…"))
            merge.setObjectName("assistantMergeName")
            merge.triggered.connect(lambda _=False: self.choose_merge(p))
            reject = menu.addAction(self.tr("&Reject"))
            reject.triggered.connect(lambda _=False: self.reject(p))
            for action in (*accept_as.actions(), merge, reject):
                action.setEnabled(not self.workbench.read_only)
            menu.addSeparator()
        if self.rebuild_action is not None:
            menu.addAction(self.rebuild_action)
        return menu

    def show_menu(self, p: Proposal | None, parent: QWidget, where: QPoint) -> None:
        menu = self.menu(p, parent)
        if menu.actions():
            menu.popup(where)

    def tips(self, kind: str) -> dict[str, str]:
        """The Accept and Reject buttons' tooltips for a row of ``kind`` (none: a mention's)."""
        reject = self.tr("Never propose it again; the assistant learns from it (R, Delete)")
        accept = {
            "name": self.tr("Add the name to the registry, linked where it stands (A, Enter)"),
            "passage": self.tr("Mark the sentence as a passage of its category (A, Enter)"),
            "event": self.tr(
                "Open the event form with the draft; the event is made when you save (A, Enter)"
            ),
        }
        return {"accept": accept[kind], "reject": reject} if kind in accept else {}

    def register_actions(self, registry: ActionRegistry, least_certain: QPushButton) -> None:
        """The assistant's own commands: least certain first (mirrors the dock's button)
        and rebuilding the models."""
        least = registry.register(
            ActionSpec(
                "actionLeastCertainFirst",
                self.tr("&Least certain passages first"),
                tip=least_certain.toolTip(),
                checkable=True,
                writes=False,
            ),
        )
        least.setChecked(least_certain.isChecked())
        least.toggled.connect(least_certain.setChecked)
        least_certain.toggled.connect(least.setChecked)
        self.rebuild_action = registry.register(
            ActionSpec(
                "actionRebuildAssistant",
                self.tr("Re&build assistant"),
                tip=self.tr(
                    "Retrain the assistant's models from the workspace now, in the background"
                ),
            ),
            lambda _=0: self.rebuild(),
        )

    # -- rebuilding -------------------------------------------------------------------------

    def rebuild(self) -> bool:
        """Retrain every model in the background (it records the training, so it writes);
        the status bar says how it went."""
        return self.workbench.operations.run(
            Operation(
                self.tr("Rebuilding the assistant"),
                rebuild_models,
                writes=True,
                on_done=self._rebuilt,
            )
        )

    def _rebuilt(self, found: AssistantStatus) -> None:
        passages = sum(found.passages_per_category.values())
        text = self.tr("Assistant rebuilt: learnt from {passages} and {names}").format(
            passages=count_noun(passages, self.tr("passage"), self.tr("passages")),
            names=count_noun(found.names_learnt, self.tr("name"), self.tr("names")),
        )
        if found.too_few:
            text += self.tr("; too few examples of {which}").format(
                which=", ".join(sorted(found.too_few))
            )
        self.workbench.status.emit(text)
        self.refresh(self.scope)

    def shutdown(self) -> None:
        self.worker.shutdown()


def assistant_touched(changes: ChangeSet, touched: set[str]) -> set[str] | None:
    """The documents whose proposals ``changes`` may alter (``None``: any): those whose
    mentions may change, those of a decision; an event, its evidence, an episode or a
    category can change event drafts anywhere."""
    if changes.touches(Event, Evidence, Episode, Category):
        return None
    return touched | changes.values_of(AssistantDecision, "document_id")


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
