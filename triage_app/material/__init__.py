"""Material on a case: encrypted attachments (PDF, images, text, Office documents) and graded
intelligence (College of Policing 3x5x2).

Attachments live inside the vault's SQLCipher database, in 256 KiB chunks, so they share the
vault's key, its re-key, its backups and its all-or-nothing transactions (docs/SECURITY.md §6).
PDFs and images are opened first in a separate, limited process (`check.py`) before anything is
stored, and are viewed from memory only.
"""
