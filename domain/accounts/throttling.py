"""Slowing down, then refusing, repeated failures: guessing a password, a one-time code or a
declarant number must cost an attacker far more time than it costs a user who mistyped."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import RuleViolation


@dataclass(frozen=True, slots=True)
class Failures:
    """What is remembered of one key's recent failures (an account, an address…)."""

    count: int
    last_at: datetime


@dataclass(frozen=True, slots=True)
class ThrottlePolicy:
    free: int = 3
    """Failures allowed before any wait."""
    first_wait: timedelta = timedelta(seconds=2)
    """Wait after the first failure past the free ones; each further failure doubles it."""
    lock_after: int = 10
    lock_for: timedelta = timedelta(minutes=15)
    forget_after: timedelta = timedelta(minutes=15)
    """A key with no failure for this long starts afresh."""

    def counted(self, failures: Failures | None, now: datetime) -> int:
        """How many failures still count at `now`."""
        if failures is None or now - failures.last_at >= self.forget_after:
            return 0
        return failures.count

    def wait(self, failures: Failures | None, now: datetime) -> timedelta:
        """How long the next attempt must still wait (zero: it may go ahead)."""
        count = self.counted(failures, now)
        if failures is None or count <= self.free:
            return timedelta(0)
        if count >= self.lock_after:
            pause = self.lock_for
        else:
            pause = self.first_wait * 2 ** (count - self.free - 1)
        return max(timedelta(0), failures.last_at + pause - now)

    def check(self, failures: Failures | None, now: datetime) -> None:
        wait = self.wait(failures, now)
        if wait > timedelta(0):
            raise TooManyAttempts(wait)

    def after_failure(self, failures: Failures | None, now: datetime) -> Failures:
        return Failures(self.counted(failures, now) + 1, now)


class TooManyAttempts(RuleViolation):
    code = "TOO_MANY_ATTEMPTS"

    def __init__(self, wait: timedelta):
        seconds = max(1, round(wait.total_seconds()))
        if seconds >= 120:
            delay = f"{-(-seconds // 60)} minutes"
        else:
            delay = f"{seconds} seconde{'s' if seconds > 1 else ''}"
        super().__init__(
            f"Trop de tentatives infructueuses : par sécurité, réessayez dans {delay}."
        )
        self.retry_after = seconds


ACCOUNT_POLICY = ThrottlePolicy()
ADDRESS_POLICY = ThrottlePolicy(free=20, lock_after=50)
"""Per network address: many people may share one (a company's proxy), so it tolerates more."""
MAIL_POLICY = ThrottlePolicy(free=5, first_wait=timedelta(seconds=30), lock_after=10)
"""Codes and reset links sent to one address: a few, then no more for a while."""
