def site(request) -> dict:
    """What every public template needs: the reading variant, its switch and the search box's query."""
    variant = getattr(request, "variant", "hans")
    params = request.GET.copy()
    params["variant"] = "hans" if variant == "hant" else "hant"
    return {"variant": variant, "variant_query": params.urlencode(), "search_q": request.GET.get("q", "")}
