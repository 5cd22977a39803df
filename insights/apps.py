from django.apps import AppConfig


class InsightsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "insights"

    def ready(self) -> None:
        from insights import receivers
        from interviews.signals import interview_page_context, interview_text_changed, interviews_import_settled

        interview_text_changed.connect(receivers.extract_changed_interview, dispatch_uid="insights.extract")
        interviews_import_settled.connect(receivers.regroup_settled_segment, dispatch_uid="insights.regroup")
        interview_page_context.connect(receivers.interview_page_highlights, dispatch_uid="insights.highlights")
