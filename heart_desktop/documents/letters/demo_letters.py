"""Signed letters for the demo store: up to ``per_kind`` cases of each kind of letter the case can
have on the day, signed by name by the case's officer, so the Documents tab, the contact log and
the print queue show letters of each kind."""

from __future__ import annotations

from datetime import date

from heart_desktop.store import Store


def sign_demo_letters(store: Store, today: date, per_kind: int = 2, scan: int = 400) -> dict[str, list[str]]:
    """Returns, for each kind, the references of the cases given one. Written as the letters use
    case writes them (frozen, then the contact), through the documents and store layers."""
    from heart_desktop.documents import letters
    from heart_desktop.documents.letters.facts import from_store
    from heart_desktop.documents.letters.layout import build_letter
    from heart_desktop.documents.letters.model import LetterSignature
    from heart_desktop.store.demo import record_demo_appeals, record_demo_decisions
    from heart_desktop.store.letters import Letters

    record_demo_decisions(store)
    record_demo_appeals(store)  # an appeal at each stage, so the appeal letters have cases too
    made: dict[str, list[str]] = {kind: [] for kind in letters.KINDS}
    rows = store.conn.execute("SELECT id, reference, coalesce(allocated_to, assigned_officer) FROM cases "
                              "WHERE deleted = 0 ORDER BY reference LIMIT ?", (scan,)).fetchall()
    for case_id, reference, officer in rows:
        if all(len(v) >= per_kind for v in made.values()):
            break
        facts = from_store(store, case_id, today, officer or store.officer)
        for kind in letters.KINDS:
            if len(made[kind]) >= per_kind or letters.refusal(facts, kind) is not None:
                continue
            at = f"{today.isoformat()}T09:{len(made[kind]) + 10}:00"
            data = letters.compose(facts, kind).with_signature(LetterSignature(facts.officer, at))
            built = build_letter(data)
            with store.transaction():
                row = Letters(store).freeze(case_id, kind, data.title, built.pdf, built.fingerprint,
                                            data.signature.as_json(), data.addressee.name)  # type: ignore[union-attr]
                store.contacts.add(case_id, {"at": at[:16], "kind": "letter", "direction": "out",
                                             "who": data.addressee.name, "author": facts.officer,
                                             "summary": f"Letter sent: {data.title} (version {row['version']}, "
                                                        f"sha256 {row['sha256'][:12]})"})
            made[kind].append(str(reference))
    return made
