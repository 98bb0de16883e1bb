# A cell raises ValueError after printing; the script must fail the same way after the same output.
# expect: same
# notebook: fails
# %%
values = [1, 2]
print("loaded", len(values))
# %% [markdown]
# ## Validate
# %%
if len(values) < 3:
    raise ValueError("not enough values")
# %% [markdown]
# ## Never
# %%
print("unreachable")
