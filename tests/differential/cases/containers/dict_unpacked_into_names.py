# Names unpacked from a dict's values, then the dict mutated.
# expect: same
# %%
split = {"train": [1, 2, 3], "test": [4]}
# %% [markdown]
# ## Unpack
# %%
train, test = split["train"], split["test"]
# %% [markdown]
# ## Grow
# %%
split["train"].append(99)
print(train, len(split["train"]))
