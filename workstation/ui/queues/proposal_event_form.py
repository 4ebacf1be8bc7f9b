"""The event form opened on an assistant's event draft: the timeline's ``EventForm``,
prefilled with the draft (kind, date and precision, actor, target, the event it answers,
the title; the passage as evidence; the episode). Nothing is created until the officer
saves; then ``AssistantService.accept_event`` makes the event with the fields as confirmed
and records the decision, in one transaction, as one undo step. Cancel creates nothing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget

from workstation.domain.assistant import Proposal
from workstation.domain.text_display import shown_line
from workstation.ui.shell.workbench import Workbench
from workstation.ui.timeline.event_form import EventForm


class ProposalEventForm(EventForm):
    def __init__(self, workbench: Workbench, proposal: Proposal, parent: QWidget | None = None):
        if proposal.episode_id is None or proposal.passage_id is None or proposal.draft is None:
            raise ValueError("an event proposal carries its episode, passage and draft")
        super().__init__(
            workbench, proposal.episode_id, passages=[proposal.passage_id], parent=parent
        )
        self.setObjectName("proposalEventForm")
        self.draft_proposal = proposal  # (``self.proposal`` is the form's date-proposal label)
        self.setWindowTitle(self.tr("New event (assistant's draft)"))
        self.setAccessibleName(self.windowTitle())
        self._prefill_from_draft()

    def _prefill_from_draft(self) -> None:
        draft = self.draft_proposal.draft
        assert draft is not None  # checked in __init__
        self.precision.setCurrentIndex(max(0, self.precision.findData(draft.precision)))
        if draft.date:
            self.date.setDate(QDate.fromString(draft.date, "yyyy-MM-dd"))
        self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
        for combo, value in ((self.actor, draft.actor_id), (self.target, draft.target_id)):
            combo.setCurrentIndex(max(0, combo.findData(value)) if value else 0)
        answer = draft.responds_to  # only a strong candidate; the others are in the list
        self.responds_to.setCurrentIndex(max(0, self.responds_to.findData(answer)))
        self.title_edit.setText(draft.title)
        self._precision_changed()
        self.proposal.setText(
            self.tr("Drafted by the assistant: {reason}. Check it, then save.").format(
                reason=shown_line(draft.reason)
            )
        )

    def save(self) -> str | None:
        """Create the event through the assistant (it records the decision too), as one undo
        step; returns its id, or None if nothing was saved."""
        values: dict[str, Any] | None = self.values()
        if values is None:
            return None
        proposal, assistant = self.draft_proposal, self.session.assistant
        evidence = self.passage_ids()
        text = self.tr("New event “{title}”").format(title=values["title"])
        done = self.workbench.apply(
            text,
            lambda: assistant.accept_event(
                proposal, evidence=evidence, episode_id=self.episode_id, **values
            ),
            initiator=self,
        )
        if done is None:
            return None
        self.saved.emit(done.record.id)
        self.close()
        return done.record.id
