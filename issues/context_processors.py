def site(request):
    """What every public template needs: the reading variant and the search box's query."""
    return {"variant": getattr(request, "variant", "hans"), "search_q": request.GET.get("q", "")}
