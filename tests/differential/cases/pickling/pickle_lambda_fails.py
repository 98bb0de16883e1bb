# Pickling a lambda fails in the notebook too; the script must fail the same way.
# notebook: fails
# %%
import pickle
double = lambda v: v * 2
print("before")
# %%
pickle.dumps(double)
print("not reached")
