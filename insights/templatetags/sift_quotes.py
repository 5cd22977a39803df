from django import template

from insights.quotes import QuoteContext

register = template.Library()


@register.filter
def context_of(contexts: dict[int, QuoteContext] | None, mention_id: int) -> QuoteContext | None:
    """The quote's sentence and interviewee (`insights.quotes`), None when the page has none for it."""
    return (contexts or {}).get(mention_id)
