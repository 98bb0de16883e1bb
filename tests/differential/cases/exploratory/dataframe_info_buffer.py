# df.info(buf=buffer) writes into a buffer a later cell reads; it is not an inspection print.
# expect: same
# %%
import io
import pandas as pd
df = pd.DataFrame({"x": [1, 2, 3]})
buffer = io.StringIO()
# %%
df.info(buf=buffer)
# %%
summary_lines = len(buffer.getvalue().splitlines())
print(summary_lines > 3)
