# d.setdefault shown as a display: it inserts a key.
# %%
d = {}
# %%
d.setdefault("k", []).append(1)
d.setdefault("j", 5)
# %%
print(d)
