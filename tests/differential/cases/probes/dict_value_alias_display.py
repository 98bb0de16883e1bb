# A list taken out of a dict, changed in place, then only displayed; the dict is printed.
# %%
data = {"y": [1, 2]}
y = data["y"]
# %%
y[0] = 7
# %%
y
# %%
print(data)
