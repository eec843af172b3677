-- Chorus published tables for Spark SQL (session catalog or a Hive metastore / Glue catalog).
-- Generated from io.chorus.schema by Ddl; do not edit by hand (SchemaFilesTest checks it).
-- Usage: SET chorus.output=s3a://bucket/prefix;  (the run's --output), then run this file, e.g.
--   spark-sql -d chorus.output=s3a://bucket/prefix -f data-schemas/ddl/spark.sql
-- RECOVER PARTITIONS picks up run_date partitions written after the table was created; rerun it after each run.
CREATE DATABASE IF NOT EXISTS chorus;

-- posts (v1)
CREATE TABLE IF NOT EXISTS chorus.posts (
  `post_id` STRING COMMENT '[required] Platform post id, unique per platform (id)',
  `platform` STRING COMMENT '[required] Platform name: twitter, bluesky, mastodon, synthetic (name)',
  `account_id` STRING COMMENT '[required] Author account id (id)',
  `created_at` TIMESTAMP COMMENT '[required] When the post was published (timestamp UTC)',
  `text` STRING COMMENT 'Post text as published (reposts carry the parent text) (text)',
  `lang` STRING COMMENT 'Language of the post (BCP-47 code)',
  `kind` STRING COMMENT '[required] original, repost, reply or quote (enum)',
  `parent_post_id` STRING COMMENT 'Post a repost, reply or quote points at; null for originals (id)',
  `parent_account_id` STRING COMMENT 'Author of the parent post (id)',
  `hashtags` ARRAY<STRING> COMMENT 'Hashtags in order of appearance, lower case, without # (list)',
  `mentions` ARRAY<STRING> COMMENT 'Mentioned screen names, lower case, without @ (list)',
  `urls` ARRAY<STRING> COMMENT 'Expanded URLs in order of appearance (list)',
  `source` STRING COMMENT 'Client application that published the post (name)',
  `author_screen_name` STRING COMMENT 'Author screen name at publication (embedded snapshot) (text)',
  `author_followers_count` BIGINT COMMENT 'Author followers at publication (embedded snapshot) (count)',
  `author_friends_count` BIGINT COMMENT 'Author friends/following at publication (embedded snapshot) (count)',
  `author_statuses_count` BIGINT COMMENT 'Author lifetime posts at publication (embedded snapshot) (count)',
  `parent_missing` BOOLEAN COMMENT 'Set by ingest: true when parent_post_id is not in the archive (flag)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/posts'
COMMENT 'One row per post.';
ALTER TABLE chorus.posts RECOVER PARTITIONS;

-- accounts (v3)
CREATE TABLE IF NOT EXISTS chorus.accounts (
  `account_id` STRING COMMENT '[required] Platform account id (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `observed_at` TIMESTAMP COMMENT '[required] When this profile snapshot was taken (timestamp UTC)',
  `screen_name` STRING COMMENT 'Handle without @ (text)',
  `display_name` STRING COMMENT 'Display name (text)',
  `description` STRING COMMENT 'Profile description (bio) (text)',
  `account_created_at` TIMESTAMP COMMENT 'When the account was created (timestamp UTC)',
  `followers_count` BIGINT COMMENT 'Followers at observed_at (count)',
  `friends_count` BIGINT COMMENT 'Accounts followed at observed_at (count)',
  `statuses_count` BIGINT COMMENT 'Lifetime posts at observed_at (count)',
  `favourites_count` BIGINT COMMENT 'Lifetime likes given at observed_at (count)',
  `listed_count` BIGINT COMMENT 'Public lists containing the account (count)',
  `verified` BOOLEAN COMMENT 'Platform verification badge (flag)',
  `default_profile` BOOLEAN COMMENT 'Theme and background never changed (flag)',
  `default_profile_image` BOOLEAN COMMENT 'Default avatar (egg) (flag)',
  `profile_use_background_image` BOOLEAN COMMENT 'Profile uses a background image (flag)',
  `location` STRING COMMENT 'Free-text profile location (text)',
  `screen_name_length` INT COMMENT 'Screen name length when the source gives only the length (caverlee-2011); else null (count)',
  `description_length` INT COMMENT 'Description length when the source gives only the length (caverlee-2011); else null (count)',
  `has_url` BOOLEAN COMMENT 'The profile links a website (v1.1/v2 user url); null when the source has no url field (flag)',
  `geo_enabled` BOOLEAN COMMENT 'Geotagging switched on (v1.1 geo_enabled); null when the source has no such field (flag)',
  `has_banner` BOOLEAN COMMENT 'The profile has a banner image (v1.1 profile_banner_url); null when the source has no such field (flag)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/accounts'
COMMENT 'One row per account profile snapshot.';
ALTER TABLE chorus.accounts RECOVER PARTITIONS;

-- quarantine (v1)
CREATE TABLE IF NOT EXISTS chorus.quarantine (
  `source_file` STRING COMMENT '[required] File the record came from (URI)',
  `record_type` STRING COMMENT '[required] posts, accounts or labels (one record each), or file (an unreadable file skipped whole) (enum)',
  `reason_code` STRING COMMENT '[required] Machine-readable rejection code (see README: validation rules) (enum)',
  `reason` STRING COMMENT '[required] Readable explanation naming the column (text)',
  `raw` STRING COMMENT '[required] The original record as JSON, truncated to 2000 characters (text)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/quarantine'
COMMENT 'One row per rejected input record.';
ALTER TABLE chorus.quarantine RECOVER PARTITIONS;

-- account_features (v3)
CREATE TABLE IF NOT EXISTS chorus.account_features (
  `account_id` STRING COMMENT '[required] Account id (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `has_profile` DOUBLE COMMENT '[required] 1 when a profile snapshot exists, else 0 (flag)',
  `has_posts` DOUBLE COMMENT '[required] 1 when the account has posts in the archive, else 0 (flag)',
  `followers_count` DOUBLE COMMENT 'Followers in the latest snapshot (count)',
  `friends_count` DOUBLE COMMENT 'Accounts followed in the latest snapshot (count)',
  `statuses_count` DOUBLE COMMENT 'Lifetime posts in the latest snapshot (count)',
  `favourites_count` DOUBLE COMMENT 'Lifetime likes in the latest snapshot (count)',
  `listed_count` DOUBLE COMMENT 'Lists containing the account (count)',
  `verified` DOUBLE COMMENT 'Verified badge (0/1)',
  `default_profile` DOUBLE COMMENT 'Default theme (0/1)',
  `default_profile_image` DOUBLE COMMENT 'Default avatar (0/1)',
  `profile_use_background_image` DOUBLE COMMENT 'Uses a background image (0/1)',
  `account_age_days` DOUBLE COMMENT 'Account age at the snapshot (min 1 day) (days)',
  `followers_growth` DOUBLE COMMENT 'followers_count / account_age_days (per day)',
  `friends_growth` DOUBLE COMMENT 'friends_count / account_age_days (per day)',
  `statuses_growth` DOUBLE COMMENT 'statuses_count / account_age_days (per day)',
  `favourites_growth` DOUBLE COMMENT 'favourites_count / account_age_days (per day)',
  `listed_growth` DOUBLE COMMENT 'listed_count / account_age_days (per day)',
  `followers_friends_ratio` DOUBLE COMMENT 'followers / max(friends, 1) (ratio)',
  `screen_name_length` DOUBLE COMMENT 'Characters in the screen name (chars)',
  `screen_name_digits` DOUBLE COMMENT 'Digits in the screen name (chars)',
  `screen_name_likelihood` DOUBLE COMMENT 'Geometric mean probability of the screen name’s character bigrams under a bigram model of all screen names in the same input (add-one smoothed); low for random strings (probability)',
  `display_name_length` DOUBLE COMMENT 'Characters in the display name (chars)',
  `display_name_digits` DOUBLE COMMENT 'Digits in the display name (chars)',
  `description_length` DOUBLE COMMENT 'Characters in the description (chars)',
  `has_url` DOUBLE COMMENT 'The profile links a website; null when the source has no url field (caverlee-2011, generator, Mastodon) (0/1)',
  `geo_enabled` DOUBLE COMMENT 'Geotagging switched on; null when the source has no such field (Twitter v2 and TwiBot-22, caverlee-2011, generator) (0/1)',
  `has_banner` DOUBLE COMMENT 'The profile has a banner image; null when the source has no such field (Twitter v2 and TwiBot-22, caverlee-2011, generator) (0/1)',
  `has_location` DOUBLE COMMENT 'The free-text location is not blank; null when the source has no location field (caverlee-2011) (0/1)',
  `posts` DOUBLE COMMENT 'Posts in the archive (count)',
  `posts_per_day` DOUBLE COMMENT 'posts / days between first and last post (min 1 day) (per day)',
  `repost_share` DOUBLE COMMENT 'Share of posts that are reposts (fraction)',
  `reply_share` DOUBLE COMMENT 'Share of posts that are replies (fraction)',
  `quote_share` DOUBLE COMMENT 'Share of posts that are quotes (fraction)',
  `urls_per_post` DOUBLE COMMENT 'Mean URLs per post (per post)',
  `hashtags_per_post` DOUBLE COMMENT 'Mean hashtags per post (per post)',
  `mentions_per_post` DOUBLE COMMENT 'Mean mentions per post (per post)',
  `distinct_sources` DOUBLE COMMENT 'Distinct client apps used (count)',
  `hour_entropy` DOUBLE COMMENT 'Shannon entropy of the UTC hour-of-day histogram (bits (0..log2 24))',
  `interpost_cv` DOUBLE COMMENT 'Coefficient of variation of gaps between consecutive posts; null under 3 posts (ratio)',
  `interpost_entropy` DOUBLE COMMENT 'Shannon entropy of the gaps between consecutive posts, binned by floor(log2 seconds) into 20 bins; null under 3 posts (bits)',
  `night_share` DOUBLE COMMENT 'Share of posts in the quietest 6-hour circular window of the UTC day (the account’s likely local night); null under 24 posts (fraction)',
  `duplicate_text_share` DOUBLE COMMENT '1 - distinct texts / posts, over non-repost posts (fraction)',
  `near_duplicate_text_share` DOUBLE COMMENT '1 - distinct normalised texts / posts, over non-repost posts; normalised = lowercased letters only, URLs and mentions removed (fraction)',
  `fast_repost_share` DOUBLE COMMENT 'Share of reposts published within 60 s of their parent (parent in archive) (fraction)',
  `max_posts_per_minute` DOUBLE COMMENT 'Largest number of posts in one clock minute (count)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/account_features'
COMMENT 'One row per account seen in posts or accounts.';
ALTER TABLE chorus.account_features RECOVER PARTITIONS;

-- account_scores (v2)
CREATE TABLE IF NOT EXISTS chorus.account_scores (
  `account_id` STRING COMMENT '[required] Account id (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `bot_probability` DOUBLE COMMENT '[required] Model probability that the account is automated (probability 0..1)',
  `is_likely_bot` BOOLEAN COMMENT '[required] bot_probability >= the model threshold in its metadata (flag)',
  `model_id` STRING COMMENT '[required] Identity of the model that scored the account (id)',
  `top_features` ARRAY<STRUCT<feature: STRING COMMENT 'account_features column', contribution: DOUBLE COMMENT 'Change in the forest\'s raw bot vote credited to the feature along the account\'s tree paths, averaged over the trees'>> COMMENT '[required] Up to 3 features that pushed the score most toward bot, largest first (path attributions of the random forest; empty when none did; see README, Classifier) (list)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/account_scores'
COMMENT 'One row per scored account.';
ALTER TABLE chorus.account_scores RECOVER PARTITIONS;

-- bot_share (v2)
CREATE TABLE IF NOT EXISTS chorus.bot_share (
  `slice_type` STRING COMMENT '[required] overall, platform, lang, day, topic (the --max-topics hashtags with the most accounts), actor_group (accounts reposting, quoting or replying to watchlisted actors of one actor_type), cluster (members of one coordination cluster) (enum)',
  `slice_value` STRING COMMENT '[required] Value of the slice (all for overall; yyyy-MM-dd for day) (text)',
  `unit` STRING COMMENT '[required] accounts (share of accounts) or posts (share of post volume) (enum)',
  `method` STRING COMMENT '[required] CC, ACC, PCC or PACC (see README: bot share estimation) (enum)',
  `estimate` DOUBLE COMMENT 'Estimated bot share, clipped to [0, 1] (fraction)',
  `ci_low` DOUBLE COMMENT 'Lower bound of the 95% bootstrap percentile interval (fraction)',
  `ci_high` DOUBLE COMMENT 'Upper bound of the 95% bootstrap percentile interval (fraction)',
  `n_accounts` BIGINT COMMENT '[required] Accounts in the slice (count)',
  `n_posts` BIGINT COMMENT '[required] Posts in the slice (count)',
  `low_support` BOOLEAN COMMENT '[required] True when n_accounts is under the minimum support (default 100) (flag)',
  `clipped` BOOLEAN COMMENT '[required] True when the unclipped corrected estimate fell outside [0, 1] (flag)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/bot_share'
COMMENT 'One row per slice, unit and method.';
ALTER TABLE chorus.bot_share RECOVER PARTITIONS;

-- account_influence (v2)
CREATE TABLE IF NOT EXISTS chorus.account_influence (
  `account_id` STRING COMMENT '[required] Account id (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `screen_name` STRING COMMENT 'Latest screen name (text)',
  `posts` BIGINT COMMENT '[required] Posts the account published in the run (count)',
  `reposts_received` BIGINT COMMENT '[required] Reposts of the account’s posts by other accounts (count)',
  `replies_received` BIGINT COMMENT '[required] Replies to the account’s posts by other accounts (count)',
  `quotes_received` BIGINT COMMENT '[required] Quotes of the account’s posts by other accounts (count)',
  `mentions_received` BIGINT COMMENT '[required] Posts by other accounts mentioning it (attention, not endorsement) (count)',
  `amplifications_received` BIGINT COMMENT '[required] reposts + replies + quotes + mentions received (count)',
  `unique_amplifiers` BIGINT COMMENT '[required] Distinct accounts that amplified it (count)',
  `potential_reach` BIGINT COMMENT '[required] Sum of the latest follower counts of the unique amplifiers (an upper bound on audience, overlap not removed) (accounts)',
  `pagerank` DOUBLE COMMENT 'Weighted PageRank on the amplifier -> author graph (damping 0.85, sums to 1) (score)',
  `t_factor` BIGINT COMMENT '[required] Largest t with t posts each reposted at least t times (count)',
  `bot_amplification_share` DOUBLE COMMENT 'Share of amplification events from accounts with is_likely_bot (fraction)',
  `bot_amplification_share_weighted` DOUBLE COMMENT 'Mean amplifier bot_probability over amplification events (fraction)',
  `coordinated_amplification_share` DOUBLE COMMENT 'Share of amplification events from accounts in a coordination cluster; null when coordination was not run (fraction)',
  `authentic_amplification` BIGINT COMMENT '[required] Amplification events from likely-human, non-coordinated accounts (count)',
  `bot_probability` DOUBLE COMMENT 'The account’s own bot probability; null when unscored (probability)',
  `rank` BIGINT COMMENT '[required] Rank by amplifications_received, then pagerank, then account_id and platform for ties (1 = most amplified) (rank)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/account_influence'
COMMENT 'One row per account that posted or was amplified.';
ALTER TABLE chorus.account_influence RECOVER PARTITIONS;

-- topic_influence (v2)
CREATE TABLE IF NOT EXISTS chorus.topic_influence (
  `day` DATE COMMENT '[required] UTC day (date)',
  `topic` STRING COMMENT '[required] Hashtag, lower case, without # (text)',
  `posts` BIGINT COMMENT '[required] Posts with the hashtag that day (count)',
  `unique_accounts` BIGINT COMMENT '[required] Distinct authors of those posts (count)',
  `bot_share_posts` DOUBLE COMMENT 'Bot share of those posts, corrected for classifier error (PACC, clipped) (fraction)',
  `coordinated_share_posts` DOUBLE COMMENT 'Share of those posts by accounts in coordination clusters; null when coordination was not run (fraction)',
  `top_amplified` ARRAY<STRUCT<account_id: STRING COMMENT 'Account id', amplifications: BIGINT COMMENT 'Amplification events'>> COMMENT '[required] Top 10 accounts amplified in posts with the hashtag that day (list)',
  `top_amplifiers` ARRAY<STRUCT<account_id: STRING COMMENT 'Account id', amplifications: BIGINT COMMENT 'Amplification events'>> COMMENT '[required] Top 10 amplifiers in posts with the hashtag that day (list)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/topic_influence'
COMMENT 'One row per hashtag per UTC day.';
ALTER TABLE chorus.topic_influence RECOVER PARTITIONS;

-- watchlist_influence (v2)
CREATE TABLE IF NOT EXISTS chorus.watchlist_influence (
  `day` DATE COMMENT '[required] UTC day (date)',
  `account_id` STRING COMMENT '[required] Watchlisted actor’s account id (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `screen_name` STRING COMMENT 'Actor screen name (text)',
  `actor_type` STRING COMMENT '[required] From the watchlist (enum)',
  `country` STRING COMMENT '[required] From the watchlist (ISO 3166-1 alpha-2)',
  `own_posts` BIGINT COMMENT '[required] Posts by the actor that day (count)',
  `amplifications_received` BIGINT COMMENT '[required] Amplification events received that day (count)',
  `unique_amplifiers` BIGINT COMMENT '[required] Distinct amplifiers that day (count)',
  `bot_share` DOUBLE COMMENT 'Share of the day’s amplification from likely bots (fraction)',
  `coordinated_share` DOUBLE COMMENT 'Share from coordinated accounts; null when coordination was not run (fraction)',
  `authentic_share` DOUBLE COMMENT 'Share from likely-human, non-coordinated accounts (fraction)',
  `top_amplifiers` ARRAY<STRUCT<account_id: STRING COMMENT 'Account id', amplifications: BIGINT COMMENT 'Amplification events'>> COMMENT '[required] Top 5 amplifying accounts that day (list)',
  `top_amplifying_clusters` ARRAY<STRUCT<cluster_id: STRING COMMENT 'coordination_clusters cluster id', amplifications: BIGINT COMMENT 'Amplification events from the cluster\'s members'>> COMMENT '[required] Top 5 coordination clusters by their members’ amplification events that day; empty when coordination was not run (list)',
  `rank_in_type_country` BIGINT COMMENT '[required] Rank by amplifications_received, then account_id for ties, among actors of the same actor_type and country that day (rank)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/watchlist_influence'
COMMENT 'One row per watchlisted actor per UTC day with activity.';
ALTER TABLE chorus.watchlist_influence RECOVER PARTITIONS;

-- coordination_edges (v2)
CREATE TABLE IF NOT EXISTS chorus.coordination_edges (
  `account_a` STRING COMMENT '[required] First account of the pair (account_a < account_b) (id)',
  `account_b` STRING COMMENT '[required] Second account of the pair (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `trace` STRING COMMENT '[required] co_repost, co_link, co_text, hashtag_sequence or synchrony (enum)',
  `weight` DOUBLE COMMENT '[required] Cosine similarity of the two accounts’ TF-IDF trace vectors (similarity 0..1)',
  `n_shared` BIGINT COMMENT '[required] Traces (item and time bucket) the two accounts share (count)',
  `first_seen` TIMESTAMP COMMENT '[required] Earliest activity on a shared trace (timestamp UTC)',
  `last_seen` TIMESTAMP COMMENT '[required] Latest activity on a shared trace (timestamp UTC)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/coordination_edges'
COMMENT 'One row per coordinated account pair and trace type.';
ALTER TABLE chorus.coordination_edges RECOVER PARTITIONS;

-- coordination_clusters (v2)
CREATE TABLE IF NOT EXISTS chorus.coordination_clusters (
  `cluster_id` STRING COMMENT '[required] Connected component of the edge graph (stable for the same edges) (id)',
  `account_id` STRING COMMENT '[required] Member account (id)',
  `platform` STRING COMMENT '[required] Platform name (name)',
  `traces` ARRAY<STRING> COMMENT '[required] Trace types of the member’s edges (list)',
  `cluster_size` BIGINT COMMENT '[required] Accounts in the cluster (count)',
  `mean_bot_probability` DOUBLE COMMENT 'Mean bot_probability of the cluster’s members; null when unscored (probability)',
  `first_activity` TIMESTAMP COMMENT '[required] Earliest shared-trace activity in the cluster (timestamp UTC)',
  `last_activity` TIMESTAMP COMMENT '[required] Latest shared-trace activity in the cluster (timestamp UTC)',
  `run_date` DATE COMMENT 'Run date of the run that wrote the row (partition)'
)
USING parquet
PARTITIONED BY (run_date)
LOCATION '${chorus.output}/coordination_clusters'
COMMENT 'One row per account in a coordination cluster.';
ALTER TABLE chorus.coordination_clusters RECOVER PARTITIONS;
