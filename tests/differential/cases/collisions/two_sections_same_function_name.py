# Headings "Train the model" and "Train model" would give the same function name.
# expect: same
# %%
weights = [0.0]
# %% [markdown]
# ## Train the model
# %%
weights = [w + 1 for w in weights]
# %% [markdown]
# ## Train model
# %%
weights = [w * 3 for w in weights]
print(weights)
