"""What the episode editor needs beyond ``EpisodeService``: reordering key judgments.

Moving one judgment renumbers its siblings 0..n-1, all in one transaction, so one undo puts
every position back and the brief never sees two judgments sharing a number.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from workstation.domain.records import Judgment
from workstation.services.outcome import NotFound, Outcome

if TYPE_CHECKING:
    from workstation.services.session import Session


def move_judgment(session: Session, judgment_id: str, new_position: int) -> Outcome[Judgment]:
    """Put the judgment at ``new_position`` (0-based, clamped to the list) among its
    episode's live judgments and number them all from 0 in that order."""
    records = session.workspace.records
    with session.workspace.transaction() as changes:
        moved = records.get(Judgment, judgment_id)
        if moved is None:
            raise NotFound(f"no judgment with id {judgment_id}")
        siblings = [j for j in session.episodes.judgments(moved.episode_id) if j.id != moved.id]
        target = min(max(new_position, 0), len(siblings))
        siblings.insert(target, moved)
        for position, judgment in enumerate(siblings):
            updated = records.update(judgment, position=position)  # no-op when unchanged
            if judgment.id == moved.id:
                moved = updated
    return Outcome(moved, changes)
