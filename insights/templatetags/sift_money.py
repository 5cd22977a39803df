from django import template

from insights.matrix import money as money_label

register = template.Library()


@register.filter
def money(value: float | int | None, currency: str = "USD") -> str:
    """An amount with its currency as the matrix prints it ($1,200; EUR 300; — when None)."""
    return money_label(value, currency)
