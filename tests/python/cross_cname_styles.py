"""Cross-check of CNAME, image styles, redundancy transitions and CloudBoxes with the official
Python SDK (alibabacloud-oss-v2), driven by the Rust test tests/emulator/cname_styles.rs
against one emulator:

  --phase read   reads back what the Rust client wrote: the domain rust.example.com (token and
                 binding), the style rust-thumb (and applies it to photo.png), the bucket's
                 ZRS transition task (by bucket, by id and account-wide), and the empty
                 CloudBox list;
  --phase write  binds python.example.com, puts the style py-half, and creates the bucket
                 <bucket>-py with a ZRS transition task, for the Rust client to read.

The expected values are the Rust test's (kept in step by hand: both files list them). Prints
"cross-check: N passed, M failed" and exits 1 on any failure.
"""

import struct

import alibabacloud_oss_v2 as oss

from cross_support import check, run


RUST_DOMAIN = "rust.example.com"
RUST_STYLE = ("rust-thumb", "image/resize,w_16", "image")
PYTHON_DOMAIN = "python.example.com"
PYTHON_STYLE = ("py-half", "image/resize,p_50")


def cname_configuration(domain):
    return oss.BucketCnameConfiguration(cname=oss.Cname(domain=domain))


def png_width(data):
    """The width of a PNG (its IHDR, bytes 16..20, big-endian)."""
    return struct.unpack(">I", data[16:20])[0] if data[:8] == b"\x89PNG\r\n\x1a\n" else None


def read_back(c, bucket):
    token = c.get_cname_token(oss.GetCnameTokenRequest(bucket=bucket, cname=RUST_DOMAIN))
    check("token domain", token.cname_token.cname == RUST_DOMAIN, token.cname_token.cname)
    check("token bucket", token.cname_token.bucket == bucket, token.cname_token.bucket)
    check("token length", len(token.cname_token.token or "") == 32, token.cname_token.token)
    check("token expiry", (token.cname_token.expire_time or "").endswith(" GMT"),
          token.cname_token.expire_time)
    listed = c.list_cname(oss.ListCnameRequest(bucket=bucket))
    domains = {n.domain: n for n in listed.cnames or []}
    check("cname listed", RUST_DOMAIN in domains, list(domains))
    check("cname status", domains.get(RUST_DOMAIN) is not None
          and domains[RUST_DOMAIN].status == "Enabled", domains)
    check("cname list bucket", listed.bucket == bucket, listed.bucket)

    name, content, category = RUST_STYLE
    style = c.get_style(oss.GetStyleRequest(bucket=bucket, style_name=name)).style
    check("style name", style.name == name, style.name)
    check("style content", style.content == content, style.content)
    check("style category", style.category == category, style.category)
    styles = c.list_style(oss.ListStyleRequest(bucket=bucket)).style_list.styles or []
    check("style listed", [s.name for s in styles] == [name], [s.name for s in styles])
    thumb = c.get_object(oss.GetObjectRequest(bucket=bucket, key="photo.png",
                                              process=f"style/{name}"))
    width = png_width(thumb.body.read())
    check("style applied", width == 16, width)

    tasks = c.list_bucket_data_redundancy_transition(
        oss.ListBucketDataRedundancyTransitionRequest(bucket=bucket))
    listed_tasks = tasks.list_bucket_data_redundancy_transition.bucket_data_redundancy_transition or []
    check("transition listed", len(listed_tasks) == 1, len(listed_tasks))
    if listed_tasks:
        task_id = listed_tasks[0].task_id
        got = c.get_bucket_data_redundancy_transition(oss.GetBucketDataRedundancyTransitionRequest(
            bucket=bucket, redundancy_transition_taskid=task_id))
        task = got.bucket_data_redundancy_transition
        check("transition id", task.task_id == task_id and len(task_id) == 32, task.task_id)
        check("transition status", task.status == "Queueing", task.status)
        check("transition created", (task.create_time or "").endswith("Z"), task.create_time)
        user = c.list_user_data_redundancy_transition(oss.ListUserDataRedundancyTransitionRequest())
        mine = [t for t in user.list_bucket_data_redundancy_transition
                .bucket_data_redundancy_transition or [] if t.bucket == bucket]
        check("transition listed for the account", [t.task_id for t in mine] == [task_id], mine)

    boxes = c.list_cloud_boxes(oss.ListCloudBoxesRequest(max_keys=10))
    check("cloud boxes empty", not boxes.cloud_boxes, boxes.cloud_boxes)
    check("cloud boxes not truncated", boxes.is_truncated is False, boxes.is_truncated)


def write(c, bucket):
    c.create_cname_token(oss.CreateCnameTokenRequest(
        bucket=bucket, bucket_cname_configuration=cname_configuration(PYTHON_DOMAIN)))
    put = c.put_cname(oss.PutCnameRequest(
        bucket=bucket, bucket_cname_configuration=cname_configuration(PYTHON_DOMAIN)))
    check("cname put", put.status_code == 200, put.status_code)
    name, content = PYTHON_STYLE
    put = c.put_style(oss.PutStyleRequest(bucket=bucket, style_name=name,
                                          style=oss.StyleContent(content=content)))
    check("style put", put.status_code == 200, put.status_code)
    other = f"{bucket}-py"
    c.put_bucket(oss.PutBucketRequest(bucket=other))
    created = c.create_bucket_data_redundancy_transition(
        oss.CreateBucketDataRedundancyTransitionRequest(bucket=other, target_redundancy_type="ZRS"))
    task_id = created.bucket_data_redundancy_transition.task_id
    check("transition created", len(task_id or "") == 32, task_id)


if __name__ == "__main__":
    run(read_back, write)
