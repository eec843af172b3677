"""Apache Airflow DAG: one Chorus pipeline run per day, submitted with SparkSubmitOperator.

Needs apache-airflow-providers-apache-spark and a Spark connection (``spark_default``) pointing at
the cluster (standalone, YARN or Kubernetes). ``{{ ds }}`` is the logical date: each run writes its
own run_date partition, reruns and backfills replace only their own date, and runs for different
dates may overlap (max_active_runs) without touching each other's partitions.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

CHORUS_JAR = "/opt/chorus/jobs/target/chorus-jobs-0.1.0-SNAPSHOT-shaded.jar"

with DAG(
    dag_id="chorus_daily",
    start_date=datetime(2024, 3, 1),
    schedule="30 2 * * *",
    catchup=True,
    max_active_runs=2,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=15)},
    tags=["chorus"],
) as dag:
    SparkSubmitOperator(
        task_id="pipeline",
        conn_id="spark_default",
        application=CHORUS_JAR,
        java_class="io.chorus.Chorus",
        application_args=[
            "pipeline",
            "--input", "s3a://archive-bucket/daily/{{ ds }}",
            "--output", "s3a://results/chorus",
            "--run-date", "{{ ds }}",
            "--quiet",
        ],
        conf={"spark.sql.shuffle.partitions": "64"},
        executor_memory="8g",
        name="chorus-pipeline-{{ ds }}",
    )
