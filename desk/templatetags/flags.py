"""Flag codes as the desk shows them: ``{% load flags %}{{ code|flag_label }}``."""

from django import template

from articles.flags import flag_explanation, flag_label

register = template.Library()

register.filter("flag_label", flag_label)
register.filter("flag_explanation", flag_explanation)
