# A literal setting inside a function-like section, next to code reading earlier results.
# expect: same
# %%
values = [1.0, 2.0, 3.0]
# %% [markdown]
# ## Scale
# %%
args = {"factor": 2.5}
scaled = [v * args["factor"] for v in values]
# %% [markdown]
# ## Show
# %%
print(scaled, args)
