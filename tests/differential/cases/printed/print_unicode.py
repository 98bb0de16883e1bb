# Non-ASCII text in printed results reaches stdout unchanged.
# expect: same
# %%
city = "Zürich"
print(f"{city} — {len(city)} letters, π≈3.14")
