# csv.writer writes rows to a file in a section of its own.
# expect: same
# %%
import csv
rows = [("a", 1), ("b", 2)]
# %% [markdown]
# ## Save
# %%
with open("rows.csv", "w", newline="") as handle:
    csv.writer(handle).writerows(rows)
