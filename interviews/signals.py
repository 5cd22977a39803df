"""What capture announces. Synthesis (insights) listens; capture never imports it.

Receivers run inside the sender's transaction: anything that must wait for the rows to be
committed (a queued task) uses transaction.on_commit itself.
"""

from django.dispatch import Signal

# An interview's text is new or changed, so what was extracted from it is out of date.
# Sent with interview_id and segment_id.
interview_text_changed = Signal()

# An import has finished and every interview it touched is settled (done or failed): whatever sums
# up the segment should be brought up to date now. Sent with segment_id.
interviews_import_settled = Signal()

# The interview page is about to render: each receiver returns a dict of extra context (synthesis
# adds what was extracted and where). Sent with interview and sections (key, question, text).
interview_page_context = Signal()
