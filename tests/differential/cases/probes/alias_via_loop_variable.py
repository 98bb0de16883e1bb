# A loop variable left bound to the last list; an item assigned through it, then only displayed.
# %%
rows = [[1], [2]]
for row in rows:
    pass
# %%
row[0] = 9
# %%
row
# %%
print(rows)
