# d.get returns the stored list; an item assigned through it, then only displayed.
# %%
data = {"y": [1, 2]}
y = data.get("y")
# %%
y[0] = 9
# %%
y
# %%
print(data)
