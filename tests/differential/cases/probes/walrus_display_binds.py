# A displayed walrus that binds a name read later.
# %%
values = [3, 1, 2]
# %%
(top := max(values))
# %%
print(top)
