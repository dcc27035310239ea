"""The referral pack (issue 6): a PDF for the CSE Taskforce built from an approved review.

- `model`: PackData, the plain content of a pack; `sample`: a synthetic one.
- `identity`: victim identity minimisation (initials and age by default, also inside free text).
- `document`: the ReportLab platypus story and `render(PackData) -> bytes`; `styles`, `pages`.
- `gather`: fills PackData from the vault (case, triage, approved review, links).
- `issue`: `issue_pack(session, ref, out_path, identity, recipient, justification)` and
  `pack_history(session, ref)`; `verify`: `verify_pack(session, path)`.
- `schema`: migration 40 (packs).

The cover's force name is read from the vault's `meta` table, key `force_name`, when something has
set it; otherwise the pack says it is not recorded.
"""
