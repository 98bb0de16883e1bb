# A walrus in a while condition reading chunks.
# expect: same
# %%
import io
stream = io.StringIO("abcdefg")
chunks = []
# %% [markdown]
# ## Read
# %%
while chunk := stream.read(3):
    chunks.append(chunk)
print(chunks)
