# globals()["name"] reads a notebook variable by a computed name.
# %%
alpha = 1
beta = 2
# %% [markdown]
# ## Pick
# %%
chosen = [globals()[name] for name in ("alpha", "beta")]
print(chosen)
