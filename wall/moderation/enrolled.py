"""The enrolled ambassadors as the rules see them: a read-only snapshot, no I/O."""

from __future__ import annotations

from dataclasses import dataclass

from wall.moderation.matching import AuthorList, WordList


@dataclass(frozen=True)
class Enrolled:
    """Approved enrolments' handles and the words an ambassador must not post unchecked."""

    handles: AuthorList = AuthorList(())
    confidential: WordList = WordList(())

    @classmethod
    def build(cls, entries: tuple[str, ...], words: tuple[str, ...]) -> Enrolled:
        """Return a snapshot for "@name" / "network:@name" entries and confidential words."""
        return cls(handles=AuthorList(entries), confidential=WordList(words))
