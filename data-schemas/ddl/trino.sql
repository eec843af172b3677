-- Chorus published tables for Trino's Hive connector (catalog "hive"); Parquet files stay where the run wrote them.
-- Generated from io.chorus.schema by Ddl; do not edit by hand (SchemaFilesTest checks it).
-- Replace s3://YOUR-BUCKET/chorus-out with the run's --output (s3:// scheme). sync_partition_metadata registers the
-- run_date partitions present; call it again after each run.
CREATE SCHEMA IF NOT EXISTS hive.chorus;

-- posts (v1)
CREATE TABLE IF NOT EXISTS hive.chorus.posts (
  "post_id" varchar COMMENT '[required] Platform post id, unique per platform (id)',
  "platform" varchar COMMENT '[required] Platform name: twitter, bluesky, mastodon, synthetic (name)',
  "account_id" varchar COMMENT '[required] Author account id (id)',
  "created_at" timestamp(3) COMMENT '[required] When the post was published (timestamp UTC)',
  "text" varchar COMMENT 'Post text as published (reposts carry the parent text) (text)',
  "lang" varchar COMMENT 'Language of the post (BCP-47 code)',
  "kind" varchar COMMENT '[required] original, repost, reply or quote (enum)',
  "parent_post_id" varchar COMMENT 'Post a repost, reply or quote points at; null for originals (id)',
  "parent_account_id" varchar COMMENT 'Author of the parent post (id)',
  "hashtags" array(varchar) COMMENT 'Hashtags in order of appearance, lower case, without # (list)',
  "mentions" array(varchar) COMMENT 'Mentioned screen names, lower case, without @ (list)',
  "urls" array(varchar) COMMENT 'Expanded URLs in order of appearance (list)',
  "source" varchar COMMENT 'Client application that published the post (name)',
  "author_screen_name" varchar COMMENT 'Author screen name at publication (embedded snapshot) (text)',
  "author_followers_count" bigint COMMENT 'Author followers at publication (embedded snapshot) (count)',
  "author_friends_count" bigint COMMENT 'Author friends/following at publication (embedded snapshot) (count)',
  "author_statuses_count" bigint COMMENT 'Author lifetime posts at publication (embedded snapshot) (count)',
  "parent_missing" boolean COMMENT 'Set by ingest: true when parent_post_id is not in the archive (flag)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per post.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/posts',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'posts', 'ADD');

-- accounts (v3)
CREATE TABLE IF NOT EXISTS hive.chorus.accounts (
  "account_id" varchar COMMENT '[required] Platform account id (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "observed_at" timestamp(3) COMMENT '[required] When this profile snapshot was taken (timestamp UTC)',
  "screen_name" varchar COMMENT 'Handle without @ (text)',
  "display_name" varchar COMMENT 'Display name (text)',
  "description" varchar COMMENT 'Profile description (bio) (text)',
  "account_created_at" timestamp(3) COMMENT 'When the account was created (timestamp UTC)',
  "followers_count" bigint COMMENT 'Followers at observed_at (count)',
  "friends_count" bigint COMMENT 'Accounts followed at observed_at (count)',
  "statuses_count" bigint COMMENT 'Lifetime posts at observed_at (count)',
  "favourites_count" bigint COMMENT 'Lifetime likes given at observed_at (count)',
  "listed_count" bigint COMMENT 'Public lists containing the account (count)',
  "verified" boolean COMMENT 'Platform verification badge (flag)',
  "default_profile" boolean COMMENT 'Theme and background never changed (flag)',
  "default_profile_image" boolean COMMENT 'Default avatar (egg) (flag)',
  "profile_use_background_image" boolean COMMENT 'Profile uses a background image (flag)',
  "location" varchar COMMENT 'Free-text profile location (text)',
  "screen_name_length" integer COMMENT 'Screen name length when the source gives only the length (caverlee-2011); else null (count)',
  "description_length" integer COMMENT 'Description length when the source gives only the length (caverlee-2011); else null (count)',
  "has_url" boolean COMMENT 'The profile links a website (v1.1/v2 user url); null when the source has no url field (flag)',
  "geo_enabled" boolean COMMENT 'Geotagging switched on (v1.1 geo_enabled); null when the source has no such field (flag)',
  "has_banner" boolean COMMENT 'The profile has a banner image (v1.1 profile_banner_url); null when the source has no such field (flag)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per account profile snapshot.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/accounts',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'accounts', 'ADD');

-- quarantine (v1)
CREATE TABLE IF NOT EXISTS hive.chorus.quarantine (
  "source_file" varchar COMMENT '[required] File the record came from (URI)',
  "record_type" varchar COMMENT '[required] posts, accounts or labels (one record each), or file (an unreadable file skipped whole) (enum)',
  "reason_code" varchar COMMENT '[required] Machine-readable rejection code (see README: validation rules) (enum)',
  "reason" varchar COMMENT '[required] Readable explanation naming the column (text)',
  "raw" varchar COMMENT '[required] The original record as JSON, truncated to 2000 characters (text)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per rejected input record.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/quarantine',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'quarantine', 'ADD');

-- account_features (v3)
CREATE TABLE IF NOT EXISTS hive.chorus.account_features (
  "account_id" varchar COMMENT '[required] Account id (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "has_profile" double COMMENT '[required] 1 when a profile snapshot exists, else 0 (flag)',
  "has_posts" double COMMENT '[required] 1 when the account has posts in the archive, else 0 (flag)',
  "followers_count" double COMMENT 'Followers in the latest snapshot (count)',
  "friends_count" double COMMENT 'Accounts followed in the latest snapshot (count)',
  "statuses_count" double COMMENT 'Lifetime posts in the latest snapshot (count)',
  "favourites_count" double COMMENT 'Lifetime likes in the latest snapshot (count)',
  "listed_count" double COMMENT 'Lists containing the account (count)',
  "verified" double COMMENT 'Verified badge (0/1)',
  "default_profile" double COMMENT 'Default theme (0/1)',
  "default_profile_image" double COMMENT 'Default avatar (0/1)',
  "profile_use_background_image" double COMMENT 'Uses a background image (0/1)',
  "account_age_days" double COMMENT 'Account age at the snapshot (min 1 day) (days)',
  "followers_growth" double COMMENT 'followers_count / account_age_days (per day)',
  "friends_growth" double COMMENT 'friends_count / account_age_days (per day)',
  "statuses_growth" double COMMENT 'statuses_count / account_age_days (per day)',
  "favourites_growth" double COMMENT 'favourites_count / account_age_days (per day)',
  "listed_growth" double COMMENT 'listed_count / account_age_days (per day)',
  "followers_friends_ratio" double COMMENT 'followers / max(friends, 1) (ratio)',
  "screen_name_length" double COMMENT 'Characters in the screen name (chars)',
  "screen_name_digits" double COMMENT 'Digits in the screen name (chars)',
  "screen_name_likelihood" double COMMENT 'Geometric mean probability of the screen name’s character bigrams under a bigram model of all screen names in the same input (add-one smoothed); low for random strings (probability)',
  "display_name_length" double COMMENT 'Characters in the display name (chars)',
  "display_name_digits" double COMMENT 'Digits in the display name (chars)',
  "description_length" double COMMENT 'Characters in the description (chars)',
  "has_url" double COMMENT 'The profile links a website; null when the source has no url field (caverlee-2011, generator, Mastodon) (0/1)',
  "geo_enabled" double COMMENT 'Geotagging switched on; null when the source has no such field (Twitter v2 and TwiBot-22, caverlee-2011, generator) (0/1)',
  "has_banner" double COMMENT 'The profile has a banner image; null when the source has no such field (Twitter v2 and TwiBot-22, caverlee-2011, generator) (0/1)',
  "has_location" double COMMENT 'The free-text location is not blank; null when the source has no location field (caverlee-2011) (0/1)',
  "posts" double COMMENT 'Posts in the archive (count)',
  "posts_per_day" double COMMENT 'posts / days between first and last post (min 1 day) (per day)',
  "repost_share" double COMMENT 'Share of posts that are reposts (fraction)',
  "reply_share" double COMMENT 'Share of posts that are replies (fraction)',
  "quote_share" double COMMENT 'Share of posts that are quotes (fraction)',
  "urls_per_post" double COMMENT 'Mean URLs per post (per post)',
  "hashtags_per_post" double COMMENT 'Mean hashtags per post (per post)',
  "mentions_per_post" double COMMENT 'Mean mentions per post (per post)',
  "distinct_sources" double COMMENT 'Distinct client apps used (count)',
  "hour_entropy" double COMMENT 'Shannon entropy of the UTC hour-of-day histogram (bits (0..log2 24))',
  "interpost_cv" double COMMENT 'Coefficient of variation of gaps between consecutive posts; null under 3 posts (ratio)',
  "interpost_entropy" double COMMENT 'Shannon entropy of the gaps between consecutive posts, binned by floor(log2 seconds) into 20 bins; null under 3 posts (bits)',
  "night_share" double COMMENT 'Share of posts in the quietest 6-hour circular window of the UTC day (the account’s likely local night); null under 24 posts (fraction)',
  "duplicate_text_share" double COMMENT '1 - distinct texts / posts, over non-repost posts (fraction)',
  "near_duplicate_text_share" double COMMENT '1 - distinct normalised texts / posts, over non-repost posts; normalised = lowercased letters only, URLs and mentions removed (fraction)',
  "fast_repost_share" double COMMENT 'Share of reposts published within 60 s of their parent (parent in archive) (fraction)',
  "max_posts_per_minute" double COMMENT 'Largest number of posts in one clock minute (count)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per account seen in posts or accounts.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/account_features',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'account_features', 'ADD');

-- account_scores (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.account_scores (
  "account_id" varchar COMMENT '[required] Account id (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "bot_probability" double COMMENT '[required] Model probability that the account is automated (probability 0..1)',
  "is_likely_bot" boolean COMMENT '[required] bot_probability >= the model threshold in its metadata (flag)',
  "model_id" varchar COMMENT '[required] Identity of the model that scored the account (id)',
  "top_features" array(row("feature" varchar, "contribution" double)) COMMENT '[required] Up to 3 features that pushed the score most toward bot, largest first (path attributions of the random forest; empty when none did; see README, Classifier) (list)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per scored account.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/account_scores',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'account_scores', 'ADD');

-- bot_share (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.bot_share (
  "slice_type" varchar COMMENT '[required] overall, platform, lang, day, topic (the --max-topics hashtags with the most accounts), actor_group (accounts reposting, quoting or replying to watchlisted actors of one actor_type), cluster (members of one coordination cluster) (enum)',
  "slice_value" varchar COMMENT '[required] Value of the slice (all for overall; yyyy-MM-dd for day) (text)',
  "unit" varchar COMMENT '[required] accounts (share of accounts) or posts (share of post volume) (enum)',
  "method" varchar COMMENT '[required] CC, ACC, PCC or PACC (see README: bot share estimation) (enum)',
  "estimate" double COMMENT 'Estimated bot share, clipped to [0, 1] (fraction)',
  "ci_low" double COMMENT 'Lower bound of the 95% bootstrap percentile interval (fraction)',
  "ci_high" double COMMENT 'Upper bound of the 95% bootstrap percentile interval (fraction)',
  "n_accounts" bigint COMMENT '[required] Accounts in the slice (count)',
  "n_posts" bigint COMMENT '[required] Posts in the slice (count)',
  "low_support" boolean COMMENT '[required] True when n_accounts is under the minimum support (default 100) (flag)',
  "clipped" boolean COMMENT '[required] True when the unclipped corrected estimate fell outside [0, 1] (flag)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per slice, unit and method.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/bot_share',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'bot_share', 'ADD');

-- account_influence (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.account_influence (
  "account_id" varchar COMMENT '[required] Account id (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "screen_name" varchar COMMENT 'Latest screen name (text)',
  "posts" bigint COMMENT '[required] Posts the account published in the run (count)',
  "reposts_received" bigint COMMENT '[required] Reposts of the account’s posts by other accounts (count)',
  "replies_received" bigint COMMENT '[required] Replies to the account’s posts by other accounts (count)',
  "quotes_received" bigint COMMENT '[required] Quotes of the account’s posts by other accounts (count)',
  "mentions_received" bigint COMMENT '[required] Posts by other accounts mentioning it (attention, not endorsement) (count)',
  "amplifications_received" bigint COMMENT '[required] reposts + replies + quotes + mentions received (count)',
  "unique_amplifiers" bigint COMMENT '[required] Distinct accounts that amplified it (count)',
  "potential_reach" bigint COMMENT '[required] Sum of the latest follower counts of the unique amplifiers (an upper bound on audience, overlap not removed) (accounts)',
  "pagerank" double COMMENT 'Weighted PageRank on the amplifier -> author graph (damping 0.85, sums to 1) (score)',
  "t_factor" bigint COMMENT '[required] Largest t with t posts each reposted at least t times (count)',
  "bot_amplification_share" double COMMENT 'Share of amplification events from accounts with is_likely_bot (fraction)',
  "bot_amplification_share_weighted" double COMMENT 'Mean amplifier bot_probability over amplification events (fraction)',
  "coordinated_amplification_share" double COMMENT 'Share of amplification events from accounts in a coordination cluster; null when coordination was not run (fraction)',
  "authentic_amplification" bigint COMMENT '[required] Amplification events from likely-human, non-coordinated accounts (count)',
  "bot_probability" double COMMENT 'The account’s own bot probability; null when unscored (probability)',
  "rank" bigint COMMENT '[required] Rank by amplifications_received, then pagerank, then account_id and platform for ties (1 = most amplified) (rank)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per account that posted or was amplified.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/account_influence',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'account_influence', 'ADD');

-- topic_influence (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.topic_influence (
  "day" date COMMENT '[required] UTC day (date)',
  "topic" varchar COMMENT '[required] Hashtag, lower case, without # (text)',
  "posts" bigint COMMENT '[required] Posts with the hashtag that day (count)',
  "unique_accounts" bigint COMMENT '[required] Distinct authors of those posts (count)',
  "bot_share_posts" double COMMENT 'Bot share of those posts, corrected for classifier error (PACC, clipped) (fraction)',
  "coordinated_share_posts" double COMMENT 'Share of those posts by accounts in coordination clusters; null when coordination was not run (fraction)',
  "top_amplified" array(row("account_id" varchar, "amplifications" bigint)) COMMENT '[required] Top 10 accounts amplified in posts with the hashtag that day (list)',
  "top_amplifiers" array(row("account_id" varchar, "amplifications" bigint)) COMMENT '[required] Top 10 amplifiers in posts with the hashtag that day (list)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per hashtag per UTC day.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/topic_influence',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'topic_influence', 'ADD');

-- watchlist_influence (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.watchlist_influence (
  "day" date COMMENT '[required] UTC day (date)',
  "account_id" varchar COMMENT '[required] Watchlisted actor’s account id (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "screen_name" varchar COMMENT 'Actor screen name (text)',
  "actor_type" varchar COMMENT '[required] From the watchlist (enum)',
  "country" varchar COMMENT '[required] From the watchlist (ISO 3166-1 alpha-2)',
  "own_posts" bigint COMMENT '[required] Posts by the actor that day (count)',
  "amplifications_received" bigint COMMENT '[required] Amplification events received that day (count)',
  "unique_amplifiers" bigint COMMENT '[required] Distinct amplifiers that day (count)',
  "bot_share" double COMMENT 'Share of the day’s amplification from likely bots (fraction)',
  "coordinated_share" double COMMENT 'Share from coordinated accounts; null when coordination was not run (fraction)',
  "authentic_share" double COMMENT 'Share from likely-human, non-coordinated accounts (fraction)',
  "top_amplifiers" array(row("account_id" varchar, "amplifications" bigint)) COMMENT '[required] Top 5 amplifying accounts that day (list)',
  "top_amplifying_clusters" array(row("cluster_id" varchar, "amplifications" bigint)) COMMENT '[required] Top 5 coordination clusters by their members’ amplification events that day; empty when coordination was not run (list)',
  "rank_in_type_country" bigint COMMENT '[required] Rank by amplifications_received, then account_id for ties, among actors of the same actor_type and country that day (rank)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per watchlisted actor per UTC day with activity.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/watchlist_influence',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'watchlist_influence', 'ADD');

-- coordination_edges (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.coordination_edges (
  "account_a" varchar COMMENT '[required] First account of the pair (account_a < account_b) (id)',
  "account_b" varchar COMMENT '[required] Second account of the pair (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "trace" varchar COMMENT '[required] co_repost, co_link, co_text, hashtag_sequence or synchrony (enum)',
  "weight" double COMMENT '[required] Cosine similarity of the two accounts’ TF-IDF trace vectors (similarity 0..1)',
  "n_shared" bigint COMMENT '[required] Traces (item and time bucket) the two accounts share (count)',
  "first_seen" timestamp(3) COMMENT '[required] Earliest activity on a shared trace (timestamp UTC)',
  "last_seen" timestamp(3) COMMENT '[required] Latest activity on a shared trace (timestamp UTC)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per coordinated account pair and trace type.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/coordination_edges',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'coordination_edges', 'ADD');

-- coordination_clusters (v2)
CREATE TABLE IF NOT EXISTS hive.chorus.coordination_clusters (
  "cluster_id" varchar COMMENT '[required] Connected component of the edge graph (stable for the same edges) (id)',
  "account_id" varchar COMMENT '[required] Member account (id)',
  "platform" varchar COMMENT '[required] Platform name (name)',
  "traces" array(varchar) COMMENT '[required] Trace types of the member’s edges (list)',
  "cluster_size" bigint COMMENT '[required] Accounts in the cluster (count)',
  "mean_bot_probability" double COMMENT 'Mean bot_probability of the cluster’s members; null when unscored (probability)',
  "first_activity" timestamp(3) COMMENT '[required] Earliest shared-trace activity in the cluster (timestamp UTC)',
  "last_activity" timestamp(3) COMMENT '[required] Latest shared-trace activity in the cluster (timestamp UTC)',
  "run_date" date COMMENT 'Run date of the run that wrote the row (partition)'
)
COMMENT 'One row per account in a coordination cluster.'
WITH (
  external_location = 's3://YOUR-BUCKET/chorus-out/coordination_clusters',
  format = 'PARQUET',
  partitioned_by = ARRAY['run_date']
);
CALL hive.system.sync_partition_metadata('chorus', 'coordination_clusters', 'ADD');
