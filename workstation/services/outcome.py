"""The value every mutating service returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from workstation.domain.records import ChangeSet, Record

R = TypeVar("R", bound=Record)


@dataclass
class Outcome(Generic[R]):
    """The record as it now stands and everything the call changed."""

    record: R
    changes: ChangeSet = field(default_factory=ChangeSet)


class ServiceError(ValueError):
    """A request the rules refuse (bad offsets, unknown category…); the message says why."""


class NotFound(ServiceError):
    pass
