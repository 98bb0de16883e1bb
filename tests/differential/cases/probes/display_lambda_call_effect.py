# A displayed immediately-called lambda that appends.
# %%
items = []
# %%
(lambda: items.append(1))()
# %%
print(items)
