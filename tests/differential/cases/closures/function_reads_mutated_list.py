# A function reads a global list that later sections mutate in place.
# %%
seen = []
def how_many():
    return len(seen)
# %% [markdown]
# ## Add
# %%
seen.append("a")
n1 = how_many()
# %% [markdown]
# ## Add more
# %%
seen.extend(["b", "c"])
n2 = how_many()
print(n1, n2)
