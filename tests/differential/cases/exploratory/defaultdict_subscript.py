# A bare subscript of a defaultdict inserts the key: it looks like a display but changes the dict.
# expect: same
# %%
from collections import defaultdict
counts = defaultdict(int)
counts["seen"] += 1
# %%
counts["missing"]
# %%
print(sorted(counts))
