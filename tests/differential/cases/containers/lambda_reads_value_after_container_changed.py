# A lambda reads a value that a container also holds; the container changes before the lambda runs.
# Reading the value through the container inside the lambda would see the change.
# expect: same
# %%
limit, other = len("abc"), 4
scale = None
# %% [markdown]
# ## Pack
# %%
box = {"v": limit}
# %% [markdown]
# ## Make a scaler
# %%
scale = lambda x: x * limit
# %% [markdown]
# ## Change the box
# %%
box["v"] = 0
# %% [markdown]
# ## Use
# %%
print(scale(2), box["v"])
