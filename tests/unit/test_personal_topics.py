"""The read side fetches personal-data keys only for the events that may hold sealed fields;
a topic no class answers to (a renamed event) is not an error there: its event is reported
unreadable when decoded."""

from storage.mapper import holds_personal_data


def test_only_the_events_of_people_need_keys() -> None:
    assert holds_personal_data("domain.workforce.employee:Employee.Hired")
    assert holds_personal_data("domain.accounts.account:Account.Created")
    assert not holds_personal_data("domain.workforce.identity_marks:IdentityMark.MarkOpened")
    assert not holds_personal_data("domain.members.member:Member.Registered")


def test_an_unknown_topic_may_hold_personal_data() -> None:
    assert holds_personal_data("domain.nowhere:Gone.Renamed")
