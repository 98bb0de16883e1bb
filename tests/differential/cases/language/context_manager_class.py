# A class-based context manager that records enter and exit.
# expect: same
# %%
events = []
class Tracker:
    def __enter__(self):
        events.append("enter")
        return self

    def __exit__(self, *exc):
        events.append("exit")
        return False
# %% [markdown]
# ## Use
# %%
with Tracker():
    events.append("body")
print(events)
