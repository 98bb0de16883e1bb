# print rebound at top level; a notebook function calls print afterwards.
# %%
import builtins
def report(x):
    print("value", x)
# %%
def print(*args):
    builtins.print("LOG", *args)
# %%
report(1)
