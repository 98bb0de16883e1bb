# An import made inside a later section is used in the section after it.
# %%
values = [3, 1, 2]
# %% [markdown]
# ## Stats
# %%
import statistics
middle = statistics.median(values)
# %% [markdown]
# ## Spread
# %%
spread = statistics.pstdev(values)
print(middle, round(spread, 6))
