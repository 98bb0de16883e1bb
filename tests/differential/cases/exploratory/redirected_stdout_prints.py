# Prints while stdout is redirected to a file write that file; they are not inspection prints.
# expect: same
# %%
import contextlib
values = [3, 1, 2]
# %%
with open("report.txt", "w") as out, contextlib.redirect_stdout(out):
    print(len(values))
    print(sorted(values))
# %%
print(open("report.txt").read().split())
