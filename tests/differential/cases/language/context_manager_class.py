# A class-based context manager that records enter and exit.
# The function reads a name main() binds: the name stays a module global, declared in main() (NB204).
# expect: kept
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
