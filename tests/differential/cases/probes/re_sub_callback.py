# re.sub with a callback that records its calls.
# %%
import re
seen = []
def repl(m):
    seen.append(m.group(0))
    return "x"
# %%
re.sub("a", repl, "banana")
# %%
print(seen)
