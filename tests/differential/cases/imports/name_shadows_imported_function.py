# `mean = mean(values)` rebinds an imported function's name to its result.
# %%
from statistics import mean
values = [1, 2, 3, 4]
# %% [markdown]
# ## Average
# %%
mean = mean(values)
print(mean)
