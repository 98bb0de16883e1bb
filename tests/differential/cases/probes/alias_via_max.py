# max(rows, key=len) returns one of the stored lists; an item assigned through it, then only displayed.
# %%
rows = [[1], [2, 3]]
longest = max(rows, key=len)
# %%
longest[0] = 9
# %%
longest
# %%
print(rows)
