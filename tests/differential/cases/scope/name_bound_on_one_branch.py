# A name bound on only one branch of an if, read later only when bound.
# %%
mode = "fast"
# %% [markdown]
# ## Configure
# %%
if mode == "fast":
    steps = 3
# %% [markdown]
# ## Run
# %%
print(steps if "steps" in globals() else "no steps")
